"""cases/*.yaml → validated models, each value with its file:line (the load stage).

All problems of all files read are collected and raised once as an InputError, so the
caseworker fixes everything in one round. Cross-file references are checked here too:
bodies named in a saksgang, attachment files, grant schemes, laws, figures cited in prose.

    files    one YAML file → a model with its Source (file and lines)
    index    case numbers → case files
    case     a case → Saksmappe (the case, its vedlegg, schemes, laws)
    project  the whole project; one meeting with its cases
"""

from generator.load.case import (
    Saksmappe,
    Vedleggsdokument,
    load_case,
    load_lovkrav,
    load_ordninger,
    load_organisasjon,
)
from generator.load.files import Loaded, Source
from generator.load.index import case_index, find_case_files
from generator.load.project import Project, find_meeting, load_meeting, load_motebok, load_project, plain_day

__all__ = [
    "Loaded", "Project", "Saksmappe", "Source", "Vedleggsdokument", "case_index", "find_case_files",
    "find_meeting", "load_case", "load_lovkrav", "load_meeting", "load_motebok", "load_ordninger", "load_organisasjon", "load_project", "plain_day",
]
