"""Small modal dialogs: a message (and its error variant), a question, and who is training."""

from .message import ErrorDialog, MessageDialog
from .question import QuestionDialog
from .trainee import TraineeDialog

__all__ = ["ErrorDialog", "MessageDialog", "QuestionDialog", "TraineeDialog"]
