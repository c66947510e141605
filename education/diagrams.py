"""The diagrams drawn for this site, shipped as static SVG files (in English, and in
Spanish under img/diagrams/es/ with the same name).

An article figure either shows an uploaded picture or one of these. Each comes with
the alt text, caption and long description (a text equivalent for screen readers)
that a new figure starts with; editors may reword them per article.
"""

from dataclasses import dataclass


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
    spanish: DiagramWords

    def static_path_in(self, language):
        """The drawing with its words in `language`: Spanish ones live in diagrams/es/."""
        if language == "es":
            folder, name = self.static_path.rsplit("/", 1)
            return f"{folder}/es/{name}"
        return self.static_path

    def words_in(self, language):
        """The words a new figure starts with, in the revision's language."""
        if language == "es":
            return self.spanish
        return DiagramWords(self.alt_text, self.caption, self.long_description)


DIAGRAMS = {
    diagram.key: diagram
    for diagram in (
        Diagram(
            key="tolerance-vs-oih",
            label="Tolerance compared with OIH",
            static_path="img/diagrams/tolerance-vs-oih.svg",
            width=800,
            height=460,
            alt_text=(
                "Two small charts side by side. On the left, tolerance: the same dose helps "
                "less as the weeks go by. On the right, OIH: pain goes up as the dose goes up."
            ),
            caption=(
                "Tolerance: the same dose helps less over time. "
                "OIH: pain gets worse as the dose goes up."
            ),
            long_description=(
                "The left chart is about tolerance. The dose stays the same from week to week. "
                "The line for pain relief starts high and slowly goes down. So the same dose "
                "helps less and less. "
                "The right chart is about OIH. The dose goes up in steps. The line for pain "
                "does not go down. It goes up with each step. So more medicine brings more "
                "pain, not less."
            ),
            spanish=DiagramWords(
                alt_text=(
                    "Dos gráficas pequeñas, una al lado de la otra. A la izquierda, la "
                    "tolerancia: la misma dosis ayuda menos con las semanas. A la derecha, la "
                    "HIO: el dolor sube cuando sube la dosis."
                ),
                caption=(
                    "Tolerancia: la misma dosis ayuda menos con el tiempo. "
                    "HIO: el dolor empeora cuando sube la dosis."
                ),
                long_description=(
                    "La gráfica de la izquierda es sobre la tolerancia. La dosis es la misma "
                    "cada semana. La línea del alivio empieza alta y baja poco a poco. Así, "
                    "la misma dosis ayuda cada vez menos. "
                    "La gráfica de la derecha es sobre la HIO. La dosis sube en pasos. La "
                    "línea del dolor no baja. Sube con cada paso. Así, más medicamento trae "
                    "más dolor, no menos."
                ),
            ),
        ),
        Diagram(
            key="pain-gate",
            label="Pain signals and the spinal cord gate",
            static_path="img/diagrams/pain-gate.svg",
            width=800,
            height=460,
            alt_text=(
                "A pain signal starts at a hand. It runs along a nerve to a gate in the "
                "spinal cord, and then up to the brain."
            ),
            caption=(
                "Pain signals travel from the body, through a gate in the spinal cord, "
                "to the brain. With OIH, the gate lets too much through."
            ),
            long_description=(
                "Step 1: nerve endings in the hand sense a hurt. They send a signal along a "
                "nerve. "
                "Step 2: the signal reaches the spinal cord in the back. Here there is a gate. "
                "The gate can let a lot of the signal through, or only a little. "
                "Step 3: the signal that gets past the gate goes up the spinal cord to the "
                "brain. The brain is where you feel pain. "
                "A note on the side says that with OIH, the gate lets too much through. "
                "So a small hurt can feel like a big one."
            ),
            spanish=DiagramWords(
                alt_text=(
                    "Una señal de dolor empieza en una mano. Va por un nervio hasta una "
                    "puerta en la médula espinal, y luego sube al cerebro."
                ),
                caption=(
                    "Las señales de dolor van del cuerpo, por una puerta en la médula "
                    "espinal, al cerebro. Con la HIO, la puerta deja pasar demasiado."
                ),
                long_description=(
                    "Paso 1: los nervios de la mano sienten un daño. Mandan una señal por "
                    "un nervio. "
                    "Paso 2: la señal llega a la médula espinal, en la espalda. Ahí hay una "
                    "puerta. La puerta puede dejar pasar mucho de la señal, o solo un poco. "
                    "Paso 3: la señal que pasa la puerta sube por la médula hasta el cerebro. "
                    "En el cerebro es donde usted siente el dolor. "
                    "Una nota al lado dice que con la HIO la puerta deja pasar demasiado. "
                    "Así, un daño pequeño se puede sentir como uno grande."
                ),
            ),
        ),
        Diagram(
            key="slow-taper",
            label="A slow taper over weeks",
            static_path="img/diagrams/slow-taper.svg",
            width=800,
            height=460,
            alt_text=(
                "A chart over 16 weeks. The dose steps down a little at a time. The pain line "
                "rises a little at first, then slowly comes down."
            ),
            caption=(
                "A slow taper: the dose goes down a little at a time, over weeks. Pain may get "
                "a bit worse at first, then often eases. Every plan is different."
            ),
            long_description=(
                "The chart runs from week 0 to week 16. Bars show the dose. The dose stays the "
                "same for a few weeks, then goes down by a small step. It keeps going down in "
                "small steps, with pauses, until week 16. "
                "A line shows pain. In the first weeks the pain line rises a little. After "
                "that it slowly goes down, until it is lower than at the start. "
                "This is only an example. Your clinician plans the pace with you, and it can "
                "be slowed or paused."
            ),
            spanish=DiagramWords(
                alt_text=(
                    "Una gráfica de 16 semanas. La dosis baja un poco cada vez. La línea del "
                    "dolor sube un poco al principio y luego baja despacio."
                ),
                caption=(
                    "Una reducción gradual: la dosis baja un poco cada vez, durante semanas. "
                    "El dolor puede empeorar un poco al principio y luego a menudo mejora. "
                    "Cada plan es distinto."
                ),
                long_description=(
                    "La gráfica va de la semana 0 a la semana 16. Las barras muestran la "
                    "dosis. La dosis es la misma unas semanas y luego baja un paso pequeño. "
                    "Sigue bajando en pasos pequeños, con pausas, hasta la semana 16. "
                    "Una línea muestra el dolor. En las primeras semanas la línea sube un "
                    "poco. Después baja despacio, hasta quedar más baja que al principio. "
                    "Esto es solo un ejemplo. Su médico planea el ritmo con usted, y se puede "
                    "ir más despacio o hacer una pausa."
                ),
            ),
        ),
    )
}

DIAGRAM_CHOICES = [(diagram.key, diagram.label) for diagram in DIAGRAMS.values()]
