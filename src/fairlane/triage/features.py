"""Text -> feature matrix for the trainable text models, and back from stored arrays.

Two kinds of features, chosen by the model's backend:

* ``tfidf``: TF-IDF of word 1-2-grams plus TF-IDF of character 2-5-grams inside word
  boundaries (``char_wb``), each row L2-normalised. The character n-grams make the model
  tolerant of misspellings and word forms ("refnd", "refunded") without a dictionary.
* ``embeddings``: the same TF-IDF blocks plus a sentence embedding
  (:class:`fairlane.triage.encoder.SentenceEncoder`), weighted so that both kinds count.

Everything a featurizer learned (vocabularies, IDF weights) is exported as plain numpy arrays
(:meth:`Featurizer.arrays`) and rebuilt from them (:meth:`Featurizer.from_arrays`), so a model
is stored without pickle.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from fairlane.triage.encoder import SentenceEncoder

__all__ = ["FeatureSpec", "Featurizer", "word_grams"]


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """What a featurizer extracts; stored in the model card."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] | None = (2, 5)
    char_min_df: int = 2
    embedding_weight: float = 0.0  # 0: no embeddings (the tfidf backend)

    def as_dict(self) -> dict[str, Any]:
        return {
            "word_ngrams": list(self.word_ngrams),
            "char_ngrams": list(self.char_ngrams) if self.char_ngrams else None,
            "char_min_df": self.char_min_df,
            "embedding_weight": self.embedding_weight,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeatureSpec:
        char = data.get("char_ngrams")
        return cls(
            word_ngrams=(int(data["word_ngrams"][0]), int(data["word_ngrams"][1])),
            char_ngrams=(int(char[0]), int(char[1])) if char else None,
            char_min_df=int(data.get("char_min_df", 2)),
            embedding_weight=float(data.get("embedding_weight", 0.0)),
        )


def _word_vectorizer(spec: FeatureSpec, vocabulary: dict[str, int] | None = None) -> Any:
    return TfidfVectorizer(
        ngram_range=spec.word_ngrams,
        sublinear_tf=True,
        dtype=np.float32,
        vocabulary=vocabulary,
    )


def _char_vectorizer(spec: FeatureSpec, vocabulary: dict[str, int] | None = None) -> Any:
    assert spec.char_ngrams is not None
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=spec.char_ngrams,
        min_df=1 if vocabulary is not None else spec.char_min_df,
        sublinear_tf=True,
        dtype=np.float32,
        vocabulary=vocabulary,
    )


_WORD_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern


def word_grams(texts: Sequence[str], ngrams: tuple[int, int] = (1, 2)) -> list[list[str]]:
    """Each text's word n-grams exactly as scikit-learn's ``TfidfVectorizer`` makes them
    (lower case, its default token pattern, n-grams joined by a space)."""
    low, high = ngrams
    out = []
    for text in texts:
        tokens = _WORD_TOKEN.findall(text.lower())
        grams = list(tokens) if low == 1 else []
        for n in range(max(2, low), high + 1):
            grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
        out.append(grams)
    return out


class _WordTfidf:
    """The transform of a fitted word ``TfidfVectorizer`` (sublinear tf, idf, l2), computed
    for a whole batch with numpy instead of per text: scikit-learn's input validation alone
    costs about 2 ms a call, more than the arithmetic for a ticket. Same result to float32
    rounding (tested)."""

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray) -> None:
        self.vocabulary = vocabulary
        self.idf = idf.astype(np.float32)

    def transform_grams(self, grams: list[list[str]]) -> sparse.csr_matrix:
        vocabulary = self.vocabulary
        columns: list[int] = []
        rows: list[int] = []
        for row, doc in enumerate(grams):
            found = [i for i in map(vocabulary.get, doc) if i is not None]
            columns += found
            rows += [row] * len(found)
        n = len(grams)
        if not columns:
            return sparse.csr_matrix((n, len(self.idf)), dtype=np.float32)
        pairs = np.unique(
            np.array(rows, dtype=np.int64) * len(self.idf) + columns, return_counts=True
        )
        keys, counts = pairs
        row_of = keys // len(self.idf)
        col_of = keys % len(self.idf)
        data = (np.log(counts.astype(np.float32)) + np.float32(1.0)) * self.idf[col_of]
        norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=n)).astype(np.float32)
        data /= norms[row_of]
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(row_of, minlength=n), out=indptr[1:])
        return sparse.csr_matrix((data, col_of, indptr), shape=(n, len(self.idf)))


class Featurizer:
    """Fitted once on training texts; ``transform`` is then pure and thread-safe."""

    def __init__(
        self,
        spec: FeatureSpec,
        vectorizers: list[Any],
        encoder: SentenceEncoder | None = None,
    ) -> None:
        if spec.embedding_weight and encoder is None:
            raise ValueError("an embeddings featurizer needs its encoder")
        self.spec = spec
        self.vectorizers = vectorizers
        self.encoder = encoder
        word = vectorizers[0]
        self._word = _WordTfidf(word.vocabulary_, np.asarray(word.idf_))

    @classmethod
    def fit(
        cls,
        spec: FeatureSpec,
        texts: Sequence[str],
        *,
        encoder: SentenceEncoder | None = None,
    ) -> Featurizer:
        vectorizers = [_word_vectorizer(spec)]
        if spec.char_ngrams:
            vectorizers.append(_char_vectorizer(spec))
        for vectorizer in vectorizers:
            vectorizer.fit(texts)
        return cls(spec, vectorizers, encoder if spec.embedding_weight else None)

    @property
    def n_features(self) -> int:
        total = sum(len(v.vocabulary_) for v in self.vectorizers)
        return total + (self.encoder.dimensions if self.encoder is not None else 0)

    def transform(
        self,
        texts: Sequence[str],
        *,
        embeddings: np.ndarray | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> sparse.csr_matrix:
        """The feature rows of ``texts``; ``embeddings`` may be given when already computed."""
        return self.transform_grams(
            texts,
            word_grams(texts, self.spec.word_ngrams),
            embeddings=embeddings,
            progress=progress,
        )

    def transform_grams(
        self,
        texts: Sequence[str],
        grams: list[list[str]],
        *,
        embeddings: np.ndarray | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> sparse.csr_matrix:
        """:meth:`transform` with the word n-grams already made (:func:`word_grams`), so that
        several models over the same texts tokenise them once."""
        blocks: list[Any] = [self._word.transform_grams(grams)]
        blocks += [v.transform(texts) for v in self.vectorizers[1:]]
        if len(blocks) > 1:  # each TF-IDF block has unit length; keep the row at unit length
            blocks = [b * np.float32(1.0 / np.sqrt(len(blocks))) for b in blocks]
        if self.encoder is not None:
            if embeddings is None:
                embeddings = self.encoder.encode(texts, progress=progress)
            blocks.append(sparse.csr_matrix(embeddings * np.float32(self.spec.embedding_weight)))
        if len(blocks) == 1:
            single: sparse.csr_matrix = blocks[0]
            return single
        matrix: sparse.csr_matrix = sparse.hstack(blocks, format="csr", dtype=np.float32)
        return matrix

    # --- storage as plain arrays ------------------------------------------------------------
    def arrays(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for n, vectorizer in enumerate(self.vectorizers):
            terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
            out[f"vocabulary_{n}"] = np.array(terms, dtype=np.str_)
            out[f"idf_{n}"] = np.asarray(vectorizer.idf_, dtype=np.float32)
        return out

    @classmethod
    def from_arrays(
        cls,
        spec: FeatureSpec,
        arrays: dict[str, np.ndarray],
        *,
        encoder: SentenceEncoder | None = None,
    ) -> Featurizer:
        builders = [_word_vectorizer]
        if spec.char_ngrams:
            builders.append(_char_vectorizer)
        vectorizers = []
        for n, build in enumerate(builders):
            terms = arrays[f"vocabulary_{n}"].tolist()
            vectorizer = build(spec, {term: i for i, term in enumerate(terms)})
            vectorizer.idf_ = arrays[f"idf_{n}"].astype(np.float64)
            vectorizers.append(vectorizer)
        return cls(spec, vectorizers, encoder)
