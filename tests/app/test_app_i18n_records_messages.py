"""The records' messages reach the user in the active language (they are shown in the app's dialogs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor import i18n
from simulator.records import RecordsError, TrainingRecords, clean_pseudonym


@pytest.mark.parametrize(
    ("language", "title", "message"),
    [
        ("en", "Who is training?", "Type a first name or a pseudonym."),
        ("fr", "Qui s'exerce?", "Tapez un prénom ou un pseudonyme."),
    ],
)
def test_a_refused_pseudonym_is_explained_in_the_active_language(language: str, title: str, message: str) -> None:
    i18n.set_language(language)
    with pytest.raises(RecordsError) as caught:
        clean_pseudonym("   ")
    assert (caught.value.title, caught.value.message) == (title, message)


def test_a_folder_given_as_the_records_file_is_refused_in_french(tmp_path: Path) -> None:
    i18n.set_language("fr")
    with pytest.raises(RecordsError) as caught:
        TrainingRecords.open(tmp_path)
    assert caught.value.message == f"{tmp_path} est un dossier; donnez un nom de fichier pour le registre de formation."
    assert caught.value.title == "Registre de formation"
