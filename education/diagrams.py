"""The diagrams drawn for this site, shipped as static SVG files (in English, and in
Spanish under img/diagrams/es/ with the same name). Their words are written here in English
and translated in the site's catalogue, like the rest of the interface.

An article figure either shows an uploaded picture or one of these. Each comes with
the alt text, caption and long description (a text equivalent for screen readers)
that a new figure starts with; editors may reword them per article.
"""

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_noop


@dataclass(frozen=True)
class DiagramWords:
    alt_text: str
    caption: str
    long_description: str


@dataclass(frozen=True)
class Diagram:
    key: str
    label: str
    static_path: str
    width: int
    height: int
    alt_text: str
    caption: str
    long_description: str

    def static_path_in(self, language):
        """The drawing with its words in `language`: Spanish ones live in diagrams/es/."""
        if language == "es":
            folder, name = self.static_path.rsplit("/", 1)
            return f"{folder}/es/{name}"
        return self.static_path

    def words_in(self, language):
        """The words a new figure starts with, in the revision's language: the English
        below, translated by the site's catalogue (locale/es/LC_MESSAGES/django.po), as every
        interface string is."""
        with translation.override(language):
            return DiagramWords(
                translation.gettext(self.alt_text),
                translation.gettext(self.caption),
                translation.gettext(self.long_description),
            )

    @property
    def spanish(self):
        return self.words_in("es")


DIAGRAMS = {
    diagram.key: diagram
    for diagram in (
        Diagram(
            key="tolerance-vs-oih",
            label="Tolerance compared with OIH",
            static_path="img/diagrams/tolerance-vs-oih.svg",
            width=800,
            height=460,
            alt_text=gettext_noop(
                "Two small charts side by side. On the left, tolerance: the same dose helps "
                "less as the weeks go by. On the right, OIH: pain goes up as the dose goes up."
            ),
            caption=gettext_noop(
                "Tolerance: the same dose helps less over time. "
                "OIH: pain gets worse as the dose goes up."
            ),
            long_description=gettext_noop(
                "The left chart is about tolerance. The dose stays the same from week to week. "
                "The line for pain relief starts high and slowly goes down. So the same dose "
                "helps less and less. "
                "The right chart is about OIH. The dose goes up in steps. The line for pain "
                "does not go down. It goes up with each step. So more medicine brings more "
                "pain, not less."
            ),
        ),
        Diagram(
            key="pain-gate",
            label="Pain signals and the spinal cord gate",
            static_path="img/diagrams/pain-gate.svg",
            width=800,
            height=460,
            alt_text=gettext_noop(
                "A pain signal starts at a hand. It runs along a nerve to a gate in the "
                "spinal cord, and then up to the brain."
            ),
            caption=gettext_noop(
                "Pain signals travel from the body, through a gate in the spinal cord, "
                "to the brain. With OIH, the gate lets too much through."
            ),
            long_description=gettext_noop(
                "Step 1: nerve endings in the hand sense a hurt. They send a signal along a "
                "nerve. "
                "Step 2: the signal reaches the spinal cord in the back. Here there is a gate. "
                "The gate can let a lot of the signal through, or only a little. "
                "Step 3: the signal that gets past the gate goes up the spinal cord to the "
                "brain. The brain is where you feel pain. "
                "A note on the side says that with OIH, the gate lets too much through. "
                "So a small hurt can feel like a big one."
            ),
        ),
        Diagram(
            key="slow-taper",
            label="A slow taper over weeks",
            static_path="img/diagrams/slow-taper.svg",
            width=800,
            height=460,
            alt_text=gettext_noop(
                "A chart over 16 weeks. The dose steps down a little at a time. The pain line "
                "rises a little at first, then slowly comes down."
            ),
            caption=gettext_noop(
                "A slow taper: the dose goes down a little at a time, over weeks. Pain may get "
                "a bit worse at first, then often eases. Every plan is different."
            ),
            long_description=gettext_noop(
                "The chart runs from week 0 to week 16. Bars show the dose. The dose stays the "
                "same for a few weeks, then goes down by a small step. It keeps going down in "
                "small steps, with pauses, until week 16. "
                "A line shows pain. In the first weeks the pain line rises a little. After "
                "that it slowly goes down, until it is lower than at the start. "
                "This is only an example. Your clinician plans the pace with you, and it can "
                "be slowed or paused."
            ),
        ),
    )
}

DIAGRAM_CHOICES = [(diagram.key, diagram.label) for diagram in DIAGRAMS.values()]
