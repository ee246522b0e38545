"""What the commands share when the domain refuses their input: the problem, under the option's name."""


def describe(errors, option_for):
    """One line per problem, naming the option: '--reply-by: Reply-by is before ...'.

    `errors` is a ValidationError's message_dict (domain field -> messages); `option_for` maps a
    domain field to the option the user typed it with.
    """
    return "\n".join(
        f"{option_for.get(field, field)}: {message}" for field, messages in errors.items() for message in messages
    )
