"""Ready-made lessons, one click each. Plain data: no Qt.

The rates are chosen against the critical rate of the two-input example, 1/|x|² = 1/25 = 0.04
(see COURSE.md): below half of it the error shrinks without changing sign, between half and all of
it the error flips sign each step, above it the error grows. The last two show why a hidden layer
with a non-linear activation matters: |x| is no straight line through 0, so one linear node can
only reach a loss of 2, while two ReLU nodes fit it exactly (|x| = relu(x) + relu(−x)).

A title never carries a step's result ("Slide: one weight", not "… (2 → 2.24)"): the quiz hides
that number, and the title stays on screen in the lesson list, the window's title and the menu.

Beyond the chapter, two lessons where the optimizer is the point: a long narrow valley (its
curvatures 169 to 1 apart) where plain steps crawl while momentum and Adam get there, and the
slides' first example with momentum, which overshoots the minimum and comes back. Their figures
are held by tests/core/test_presets.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from gd_desktop.core import engine
from gd_desktop.core.engine import PROBLEM_FIELDS
from gd_desktop.core.i18n import N_, _, current_language


@dataclass(frozen=True)
class Preset:
    """One ready-made lesson. Its problem is held by the Problem's field names, so a new field
    reaches the presets (and the shipped lessons) without a change here; read one as
    ``preset.learning_rate`` or all of them checked as ``preset.problem``.
    """

    #: Stays the same whatever the title says or however it is translated: the shipped lesson's
    #: file name, and what the window keys its choice on.
    id: str
    #: The title and the note in English, as the catalogs know them; :attr:`name` and
    #: :attr:`says` are in the language in use.
    english_name: str
    weights: tuple[float, ...]  # flat, as the engine has them
    english_says: str
    #: Problem field name → value; a field left out takes the Problem's default.
    problem_values: Mapping[str, object]
    #: Language code → {"title", "notes"}: the words in the languages whose catalogs do not
    #: have them yet (a lesson written after the catalogs were); the catalogs' come first.
    translations: Mapping[str, Mapping[str, str]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def __post_init__(self) -> None:
        given = dict(self.problem_values)
        unknown = sorted(set(given) - {spec.name for spec in PROBLEM_FIELDS})
        missing = [spec.name for spec in PROBLEM_FIELDS if spec.required and spec.name not in given]
        if unknown or missing:
            raise ValueError(f"preset {self.id}: unknown fields {unknown}, missing {missing}")
        values = {spec.name: given.get(spec.name, spec.default) for spec in PROBLEM_FIELDS}
        object.__setattr__(self, "problem_values", MappingProxyType(values))

    def __getattr__(self, name: str):
        # Only reached for names that are not attributes: the problem's fields.
        values = self.__dict__.get("problem_values", {})
        if name not in values:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return values[name]

    def __hash__(self) -> int:
        return hash(self.id)

    @property
    def name(self) -> str:
        """The title in the language in use (read again after a change of language)."""
        return self._in_use("title", self.english_name)

    @property
    def says(self) -> str:
        """What the lesson shows, in the language in use."""
        return self._in_use("notes", self.english_says)

    def own_translation(self, code: str, key: str) -> str | None:
        """The preset's own ``key`` ("title" or "notes") in language ``code`` (or its base
        language: pt for pt_BR), if it carries one."""
        for candidate in (code, code.split("_")[0]):
            text = self.translations.get(candidate, {}).get(key)
            if text:
                return text
        return None

    def _in_use(self, key: str, english: str) -> str:
        translated = _(english)
        if translated != english:
            return translated
        return self.own_translation(current_language(), key) or english

    @property
    def problem(self) -> engine.Problem:
        return engine.Problem.create(**self.problem_values)


SLIDE_ROW = ((3.0, 4.0),)
ABS_ROWS = ((-2.0,), (-1.0,), (0.0,), (1.0,), (2.0,))
ABS_TARGETS = (2.0, 1.0, 0.0, 1.0, 2.0)

VALLEY_ROWS = ((1.0, 2.0), (1.0, 3.0), (1.0, 4.0))
VALLEY_TARGETS = (3.0, 4.0, 5.0)

# The two optimizer lessons' words in each shipped language (the catalogs do not have them yet).
NARROW_VALLEY_TRANSLATIONS = MappingProxyType({
    "de": {
        "title": "Enges Tal: einfache Schritte kriechen",
        "notes": "Zeilen (1, 2), (1, 3), (1, 4) mit den Zielwerten 3, 4, 5: Der Verlust bildet "
        "ein langes, enges Tal, quer etwa 170-mal stärker gekrümmt als längs. Eine Lernrate von "
        "0,05, etwa die Hälfte der kritischen Lernrate 0,094, ist das Höchste, was einfache "
        "Schritte vertragen, und entlang des Tals kriechen sie: Nach 100 Schritten ist w1 erst "
        "0,67 (das Minimum liegt bei w1 = w2 = 1) und der Verlust 0,0077. Momentum (μ 0,9) "
        "wählen: Nach 100 Schritten ist der Verlust 0,00003; mit Adam 0,0003. Bis Schritt 77 "
        "bzw. Schritt 24 sind sie dem Minimum auf 0,01 nahe; einfache Schritte brauchen 657.",
    },
    "es": {
        "title": "Valle estrecho: los pasos simples se arrastran",
        "notes": "Filas (1, 2), (1, 3), (1, 4) con objetivos 3, 4, 5: la pérdida es un valle "
        "largo y estrecho, unas 170 veces más curvado a lo ancho que a lo largo. Una tasa de "
        "0,05, cerca de la mitad de la tasa crítica 0,094, es lo máximo que admiten los pasos "
        "simples, y a lo largo del valle avanzan a paso de tortuga: tras 100 pasos w1 vale 0,67 "
        "(el mínimo está en w1 = w2 = 1) y la pérdida, 0,0077. Elige momentum (μ 0,9): tras 100 "
        "pasos la pérdida es 0,00003; con Adam, 0,0003. Llegan a 0,01 del mínimo en el paso 77 "
        "y en el paso 24; los pasos simples necesitan 657.",
    },
    "fr": {
        "title": "Vallée étroite : les pas simples se traînent",
        "notes": "Lignes (1, 2), (1, 3), (1, 4) et cibles 3, 4, 5 : la perte est une vallée "
        "longue et étroite, environ 170 fois plus courbée en travers que dans sa longueur. Un "
        "taux de 0,05, à peu près la moitié du taux critique 0,094, est le maximum que "
        "supportent les pas simples, et le long de la vallée ils se traînent : après 100 pas, "
        "w1 ne vaut que 0,67 (le minimum est en w1 = w2 = 1) et la perte 0,0077. Choisissez le "
        "momentum (μ 0,9) : après 100 pas la perte est de 0,00003 ; avec Adam, 0,0003. Ils "
        "arrivent à 0,01 du minimum au pas 77 et au pas 24 ; les pas simples en demandent 657.",
    },
    "pt_BR": {
        "title": "Vale estreito: os passos simples se arrastam",
        "notes": "Linhas (1, 2), (1, 3), (1, 4) com alvos 3, 4, 5: a perda é um vale longo e "
        "estreito, cerca de 170 vezes mais curvo na largura do que no comprimento. Uma taxa de "
        "0,05, cerca da metade da taxa crítica 0,094, é o máximo que os passos simples "
        "aguentam, e ao longo do vale eles se arrastam: depois de 100 passos w1 vale 0,67 (o "
        "mínimo fica em w1 = w2 = 1) e a perda, 0,0077. Escolha momentum (μ 0,9): depois de 100 "
        "passos a perda é 0,00003; com Adam, 0,0003. Eles chegam a 0,01 do mínimo no passo 77 "
        "e no passo 24; os passos simples precisam de 657.",
    },
    "zh_CN": {
        "title": "狭长山谷：普通步长举步维艰",
        "notes": "数据行 (1, 2)、(1, 3)、(1, 4)，目标值 3、4、5"
        "：损失是一条狭长的山谷，横向的弯曲程度约为纵向的 170 倍。学习率"
        " 0.05 约为临界学习率 0.094 的一半，已是普通步长能承受的"
        "上限，而沿着山谷它们却走得极慢：100 步后 w1 只有 0.67（"
        "最小值在 w1 = w2 = 1），损失为 0.0077。请选择动量"
        "（μ 0.9）：100 步后损失为 0.00003；Adam 则为 "
        "0.0003。它们分别在第 77 步和第 24 步进入离最小值 0."
        "01 以内；普通步长需要 657 步。",
    },
    "uk": {
        "title": "Вузька долина: звичайні кроки повзуть",
        "notes": "Рядки (1, 2), (1, 3), (1, 4) з цілями 3, 4, 5: втрата утворює довгу вузьку "
        "долину, упоперек вигнуту приблизно в 170 разів сильніше, ніж уздовж. Швидкість 0,05, "
        "близько половини критичної швидкості 0,094, — це найбільше, що витримують звичайні "
        "кроки, і вздовж долини вони повзуть: після 100 кроків w1 лише 0,67 (мінімум у точці "
        "w1 = w2 = 1), а втрата 0,0077. Виберіть імпульс (momentum, μ 0,9): після 100 кроків "
        "втрата 0,00003; з Adam — 0,0003. Вони підходять до мінімуму ближче ніж на 0,01 на "
        "77-му і 24-му кроці; звичайним крокам потрібно 657.",
    },
})  # fmt: skip
OVERSHOOT_TRANSLATIONS = MappingProxyType({
    "de": {
        "title": "Momentum schießt übers Ziel hinaus und kehrt zurück",
        "notes": "Das erste Beispiel der Folien (Eingabe 3, Zielwert 10, Gewicht 2, Lernrate "
        "0,01) mit Momentum μ 0,9. Das beste Gewicht ist 10/3 ≈ 3,33. Momentum behält 0,9 des "
        "letzten Schritts, deshalb schießt das Gewicht darüber hinaus: 3,625 bei Schritt 4, bis "
        "4,26 bei Schritt 7; dann kehrt es um, liegt bei Schritt 11 wieder unter 3,33 und sinkt "
        "bis Schritt 14 auf 2,695, und jede Schwingung wird kleiner. Einfache Schritte vom "
        "selben Start kommen nie über 3,33.",
    },
    "es": {
        "title": "El momentum se pasa y vuelve",
        "notes": "El primer ejemplo de las diapositivas (entrada 3, objetivo 10, peso 2, tasa "
        "0,01) con momentum μ 0,9. El mejor peso es 10/3 ≈ 3,33. El momentum conserva 0,9 de su "
        "último paso, así que el peso se pasa de largo: 3,625 en el paso 4, hasta 4,26 en el "
        "paso 7; luego da la vuelta, baja de 3,33 en el paso 11 y llega a 2,695 en el paso 14, "
        "oscilando cada vez menos. Los pasos simples desde el mismo inicio nunca pasan de 3,33.",
    },
    "fr": {
        "title": "Le momentum dépasse puis revient",
        "notes": "Le premier exemple des diapositives (entrée 3, cible 10, poids 2, taux 0,01) "
        "avec un momentum μ 0,9. Le meilleur poids est 10/3 ≈ 3,33. Le momentum garde 0,9 de "
        "son dernier pas, donc le poids le dépasse : 3,625 au pas 4, jusqu’à 4,26 au pas 7 ; "
        "puis il fait demi-tour, repasse sous 3,33 au pas 11 et descend à 2,695 au pas 14, en "
        "oscillant de moins en moins. Les pas simples depuis le même départ ne dépassent jamais "
        "3,33.",
    },
    "pt_BR": {
        "title": "O momentum passa do ponto e volta",
        "notes": "O primeiro exemplo dos slides (entrada 3, alvo 10, peso 2, taxa 0,01) com "
        "momentum μ 0,9. O melhor peso é 10/3 ≈ 3,33. O momentum guarda 0,9 do último passo, "
        "então o peso passa direto: 3,625 no passo 4, até 4,26 no passo 7; depois ele dá a "
        "volta, fica abaixo de 3,33 no passo 11 e desce até 2,695 no passo 14, oscilando cada "
        "vez menos. Os passos simples a partir do mesmo início nunca passam de 3,33.",
    },
    "zh_CN": {
        "title": "动量冲过头又折回",
        "notes": "幻灯片中的第一个例子（输入 3，目标值 10，权重 2，学习率 0."
        "01），加上动量 μ 0.9。最佳权重是 10/3 ≈ 3.33。动"
        "量保留上一步的 0.9，所以权重会冲过它：第 4 步为 3.625，"
        "第 7 步达到 4.26；然后折回，第 11 步回到 3.33 以下"
        "，第 14 步降到 2.695，摆动越来越小。从同一起点出发的普通步"
        "长始终不会超过 3.33。",
    },
    "uk": {
        "title": "Імпульс проскакує і повертається",
        "notes": "Перший приклад зі слайдів (вхід 3, ціль 10, вага 2, швидкість 0,01) з "
        "імпульсом (momentum) μ 0,9. Найкраща вага — 10/3 ≈ 3,33. Імпульс зберігає 0,9 "
        "останнього кроку, тож вага проскакує повз неї: 3,625 на 4-му кроці, аж до 4,26 на "
        "7-му; потім повертає, на 11-му кроці знову нижча за 3,33 і на 14-му спускається до "
        "2,695, щоразу коливаючись менше. Звичайні кроки з того самого початку ніколи не "
        "перевищують 3,33.",
    },
})  # fmt: skip

PRESETS: tuple[Preset, ...] = (
    Preset(
        "slide-one-weight", N_("Slide: one weight"), (2.0,),
        N_("The slides' first example: slope 2 × (−4) × 3 = −24, so the weight goes to 2.24."),
        {"inputs": ((3.0,),), "targets": (10.0,), "learning_rate": 0.01}),
    Preset(
        "slide-two-inputs", N_("Slide: two inputs"), (1.0, 2.0),
        N_("The slides' network: gradient [30, 40]; one step brings the error from 5 to 2.5."),
        {"inputs": SLIDE_ROW, "targets": (6.0,), "learning_rate": 0.01}),
    Preset(
        "too-big-learning-rate", N_("Too big a learning rate"), (1.0, 2.0),
        N_("0.05 is above the critical rate 0.04: each step overshoots further. Press Run."),
        {"inputs": SLIDE_ROW, "targets": (6.0,), "learning_rate": 0.05}),
    Preset(
        "too-small-learning-rate", N_("Too small a learning rate"), (1.0, 2.0),
        N_("0.0005: every step is right but tiny; it crawls. Press Run."),
        {"inputs": SLIDE_ROW, "targets": (6.0,), "learning_rate": 0.0005}),
    Preset(
        "oscillates", N_("Oscillates"), (1.0, 2.0),
        N_("0.035 is between half the critical rate (0.02) and the critical rate (0.04): "
        "the error changes sign each step but shrinks."),
        {"inputs": SLIDE_ROW, "targets": (6.0,), "learning_rate": 0.035}),
    Preset(
        "just-right", N_("Just right"), (1.0, 2.0),
        N_("0.015: the error shrinks by three quarters each step without overshooting."),
        {"inputs": SLIDE_ROW, "targets": (6.0,), "learning_rate": 0.015}),
    Preset(
        "linear-cannot-fit-abs", N_("|x|: one linear node cannot fit it"), (0.5,),
        N_("Five rows of y = |x|. A single linear node can only tilt a line through 0: "
        "Run, and the loss stops at 2."),
        {"inputs": ABS_ROWS, "targets": ABS_TARGETS, "learning_rate": 0.05}),
    Preset(
        "relu-fits-abs", N_("|x|: a ReLU hidden layer fits it"), (0.5, 0.7, 0.6, -0.4),
        N_("The same rows with two ReLU nodes: |x| = relu(x) + relu(−x). Run, and the loss "
        "goes to 0."),
        {"inputs": ABS_ROWS, "targets": ABS_TARGETS, "learning_rate": 0.05,
         "hidden_count": 2, "activation": "relu"}),
    Preset(
        "narrow-valley", N_("Narrow valley: plain steps crawl"), (0.0, 0.0),
        N_("Rows (1, 2), (1, 3), (1, 4) with targets 3, 4, 5: the loss is a long narrow valley, "
        "curved about 170 times more sharply across than along. A rate of 0.05, about half the "
        "critical rate 0.094, is as much as plain steps allow, and along the valley they crawl: "
        "after 100 steps w1 is 0.67 (the minimum is at w1 = w2 = 1) and the loss is 0.0077. "
        "Choose momentum (μ 0.9): after 100 steps the loss is 0.00003; Adam: 0.0003. They come "
        "within 0.01 of the minimum by step 77 and step 24; plain steps need 657."),
        {"inputs": VALLEY_ROWS, "targets": VALLEY_TARGETS, "learning_rate": 0.05},
        NARROW_VALLEY_TRANSLATIONS),
    Preset(
        "momentum-overshoots", N_("Momentum overshoots and comes back"), (2.0,),
        N_("The slides' first example (input 3, target 10, weight 2, rate 0.01) with momentum "
        "μ 0.9. The best weight is 10/3 ≈ 3.33. Momentum keeps 0.9 of its last step, so the "
        "weight rushes past it: 3.625 at step 4, up to 4.26 at step 7; then it turns, is back "
        "below 3.33 at step 11 and down to 2.695 at step 14, swinging less each time. Plain "
        "steps from the same start never pass 3.33."),
        {"inputs": ((3.0,),), "targets": (10.0,), "learning_rate": 0.01,
         "optimizer": "momentum", "momentum": 0.9},
        OVERSHOOT_TRANSLATIONS),
)  # fmt: skip
