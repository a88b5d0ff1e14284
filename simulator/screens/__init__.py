"""The app's screens: home, conversation, debrief, history, and small dialogs (``screens.dialogs``)."""
