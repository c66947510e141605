from django.core.management.base import BaseCommand

from education.content_loader import load_content


class Command(BaseCommand):
    help = "Add the articles and glossary terms that ship with the code, if missing."

    def handle(self, *args, **options):
        articles, terms = load_content()
        self.stdout.write(f"Added {articles} article(s) and {terms} glossary term(s).")
