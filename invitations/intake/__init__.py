"""Getting invitations in: the one logging function (log.py) behind the form, the admin and the
command, and the capture of e-mail (capture.py: reading.py, forwards.py, recognisers/, acting.py).

What it may import: models, text, clock, followups, answers. See docs/design.md, "Packages".
(answers, of the same layer, for withdraw(): a withdrawal mail withdraws; answers never imports intake.)
"""
