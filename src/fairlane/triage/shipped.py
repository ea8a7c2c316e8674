"""The models every ticket gets with no training data of the team's own (T2, T4).

fairlane ships an intent model and an urgency model trained from hand-written examples in
``triage/seeds/*.yaml`` (original text written for fairlane, see ``seeds/README.md``). The
trained models are part of the package (``triage/shipped/<name>/``, JSON + npz, no pickle);
each model card records the digest of the seeds file it was trained from, and loading refuses
a model whose seeds have changed since (``make models`` retrains them). A team replaces either
model with one trained on its own history (``fairlane model train --target intent``) through
the policy's ``triage.models``.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from fairlane.triage.reading import TicketReader
from fairlane.triage.sentiment import default_sentiment_scorer
from fairlane.triage.textmodel import ModelError, TextModel

__all__ = ["SHIPPED", "build_shipped", "default_reader", "seed_examples", "shipped_model"]

SHIPPED = ("intent", "urgency")


def _package_dir(name: str) -> Path:
    return Path(str(resources.files("fairlane.triage") / name))


def seed_examples(name: str) -> tuple[list[str], list[str], str]:
    """Texts, labels and the sha256 of ``seeds/<name>.yaml``."""
    path = _package_dir("seeds") / f"{name}.yaml"
    raw = path.read_bytes()
    document = yaml.safe_load(raw)
    texts: list[str] = []
    labels: list[str] = []
    for label, examples in document["labels"].items():
        for text in examples:
            texts.append(str(text))
            labels.append(str(label))
    return texts, labels, hashlib.sha256(raw).hexdigest()


def build_shipped(*, trained_at: datetime) -> list[TextModel]:
    """Train every shipped model from its seeds and write it into the package."""
    built = []
    for name in SHIPPED:
        texts, labels, digest = seed_examples(name)
        model = TextModel.train(
            texts,
            labels,
            target=name,
            trained_at=trained_at,
            source={"file": f"fairlane/triage/seeds/{name}.yaml", "sha256": digest},
            char_ngrams=False,  # every ticket goes through them: word n-grams are ~10x cheaper
        )
        model.save(_package_dir("shipped") / name)
        built.append(model)
    return built


@cache
def shipped_model(name: str) -> TextModel:
    """The shipped ``name`` model, loaded once per process."""
    model = TextModel.load(_package_dir("shipped") / name, expect_target=name)
    _, _, digest = seed_examples(name)
    if (model.card.source or {}).get("sha256") != digest:
        raise ModelError(
            f"the shipped {name} model was trained from other seeds than "
            f"seeds/{name}.yaml; run `make models` to retrain it"
        )
    return model


@cache
def default_reader() -> TicketReader:
    """Shipped intent and urgency models with the VADER-lexicon sentiment scorer."""
    return TicketReader(
        intent=shipped_model("intent"),
        urgency=shipped_model("urgency"),
        sentiment=default_sentiment_scorer(),
    )


if __name__ == "__main__":  # python -m fairlane.triage.shipped: what `make models` runs
    from datetime import UTC

    for trained in build_shipped(trained_at=datetime.now(UTC).replace(microsecond=0)):
        card = trained.card
        print(
            f"{card.target}: model {card.model_id}, {card.training_rows} examples, "
            f"{len(card.labels)} labels, cross-validated accuracy "
            f"{card.cross_validation['accuracy']:.3f}"
        )
