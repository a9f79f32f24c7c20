"""Signing on screen: the `SignaturePad` widget and the signing / refusal dialogs."""
