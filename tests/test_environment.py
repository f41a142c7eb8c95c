"""The pages' Jinja environment calls functions and reads globals as Jinja's own does: its quicker
`Context.call` and plain-dict globals change nothing a template can see."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jinja2 import (
    DictLoader,
    Environment,
    StrictUndefined,
    UndefinedError,
    pass_context,
    pass_environment,
    pass_eval_context,
)

from generator.environment import make_env


class Counter:
    def __init__(self) -> None:
        self.n = 0

    def next(self) -> int:
        self.n += 1
        return self.n


class Greeter:
    """A callable object whose `__call__` takes the context, which Jinja honours."""

    @pass_context
    def __call__(self, ctx: Any, name: str) -> str:
        return f"{ctx['greeting']}, {name}"


@pass_context
def seen(ctx: Any, name: str) -> str:
    """What the context holds under `name` where the function is called."""
    return str(ctx.get(name, "-"))


def stopping() -> str:
    raise StopIteration


CALLS = {
    # the variable a loop sets is in the context a function called in the loop gets
    "loop.j2": "{% for x in xs %}{% set y = x * 2 %}{{ seen('y') }} {% endfor %}{{ seen('y') }}",
    # a plain function, a method, an object taking the context, the eval context, the environment,
    # a builtin, a macro of an imported template
    "kinds.j2": (
        "{% import 'macros.j2' as m %}{{ plain(2) }} {{ method() }} {{ method() }} {{ greet('Ann') }}"
        " {{ ev() }} {{ envf() }} {{ builtin([3, 1]) }} {{ m.shout('hi', times=2) }}"
    ),
    "macros.j2": "{% macro shout(word, times=1) %}{{ (word ~ '!') * times }}{% endmacro %}",
    # a variable the template sets is in the context the function gets
    "set.j2": "{% set greeting = 'Hi' %}{{ greet('Bo') }}",
    "stop.j2": "{{ stop() }}",
}


def variables() -> dict[str, Any]:
    return {
        "xs": [1, 2, 3],
        "seen": seen,
        "plain": lambda n: n + 1,
        "method": Counter().next,
        "greet": Greeter(),
        "greeting": "Hello",
        "ev": pass_eval_context(lambda ectx: type(ectx).__name__),
        "envf": pass_environment(lambda env: env.undefined.__name__),
        "builtin": sorted,
        "stop": stopping,
    }


@pytest.fixture
def ours(tmp_path: Path) -> Environment:
    site = tmp_path / "templates"
    site.mkdir()
    for name, text in CALLS.items():
        (site / name).write_text(text, encoding="utf-8")
    return make_env(site)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("loop.j2", "2 4 6 -"),
        ("kinds.j2", "3 1 2 Hello, Ann EvalContext StrictUndefined [1, 3] hi!hi!"),
        ("set.j2", "Hi, Bo"),
    ],
)
def test_functions_are_called_as_jinja_calls_them(ours: Environment, name: str, shown: str) -> None:
    jinjas = Environment(loader=DictLoader(CALLS), undefined=StrictUndefined)
    assert jinjas.get_template(name).render(**variables()) == shown
    assert ours.get_template(name).render(**variables()) == shown


def test_a_function_that_raises_stop_iteration_gives_undefined(ours: Environment) -> None:
    with pytest.raises(UndefinedError, match="StopIteration"):
        ours.get_template("stop.j2").render(**variables())


def test_a_templates_own_globals_come_before_the_environments(tmp_path: Path) -> None:
    (tmp_path / "lang.j2").write_text("{{ language }}", encoding="utf-8")
    env = make_env(tmp_path)
    assert env.get_template("lang.j2").render() == "en"
    assert env.from_string("{{ language }}", globals={"language": "xx"}).render() == "xx"
    assert env.get_template("lang.j2").render() == "en"
    assert env.globals["language"] == "en"
