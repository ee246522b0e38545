"""The packages keep to the imports their docstrings allow (docs/design.md, "Packages")."""

import ast
import re
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "invitations"
SURFACES = {"views", "forms", "admin", "management", "tasks", "templatetags", "urls"}
DOMAIN = ["intake", "answers", "followups", "reminders", "mail", "insights", "maintenance", "workspace", "imports", "mailboxes"]


def imported_parts(package):
    """The first names after `invitations.` that any module of `package` imports."""
    parts = set()
    for module in (APP / package).rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("invitations."):
                parts.add(node.module.split(".")[1])
            elif isinstance(node, ast.ImportFrom) and node.module == "invitations":
                parts.update(alias.name for alias in node.names)
    return parts - {package}


def allowed(package):
    doc = ast.get_docstring(ast.parse((APP / package / "__init__.py").read_text()))
    found = re.search(r"What it may import: ([a-z, ]+)\.", doc or "")
    assert found, f"invitations/{package}/__init__.py should say what it may import"
    return {name.strip() for name in found.group(1).split(",")}


@pytest.mark.parametrize("package", DOMAIN)
def test_each_domain_package_imports_only_what_its_docstring_allows(package):
    assert imported_parts(package) <= allowed(package)


@pytest.mark.parametrize("package", [*DOMAIN, "models"])
def test_the_domain_never_imports_the_surfaces(package):
    assert not imported_parts(package) & SURFACES
