"""The one form the wizard has: choose an option of the current question."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired


class AnswerForm(FlaskForm):
    """A radio choice among a node's option keys.

    CSRF is checked once for every POST by CSRFProtect (see app.py), before any
    view runs; checking the token again inside the form doubled the cost of an
    answer (measured with cProfile), so the form leaves it to CSRFProtect.
    """

    class Meta:
        csrf = False

    choice = RadioField(validate_choice=True)

    @classmethod
    def for_options(cls, options: dict[str, dict], error: str) -> "AnswerForm":
        """A form whose choices are ``options`` (key -> wording with a label)."""
        form = cls()
        form.choice.choices = [SelectChoice(key, words["label"]) for key, words in options.items()]
        form.choice.validators = [InputRequired(message=error)]
        return form

    def chosen_error(self) -> str | None:
        """The message to show when validation failed on the choice."""
        return self.choice.errors[0] if self.choice.errors else None
