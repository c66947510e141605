"""`manage.py fhir_questionnaire [--output FILE]`: see intake/exchange/questionnaire.py."""

import json

from django.core.management.base import BaseCommand

from intake.exchange.export import write_file
from intake.exchange.questionnaire import questionnaire


class Command(BaseCommand):
    help = "Write the FHIR R4 Questionnaire that exported QuestionnaireResponses answer."

    def add_arguments(self, parser):
        parser.add_argument("--output", metavar="FILE", help="Write to FILE, not standard output.")

    def handle(self, *args, output=None, **options):
        text = json.dumps(questionnaire(), indent=2, ensure_ascii=False) + "\n"
        if output is None:
            self.stdout.write(text, ending="")
        else:
            write_file(output, [text])
