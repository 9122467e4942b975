"""ctypes bindings to libAnnealC (Sources/AnnealC/include/anneal.h).

Arrays cross as pointers to numpy buffers: a model is made from the
contiguous float64/int64 arrays dimod's ``to_numpy_vectors`` gives (no
copy when they already have those dtypes), and results are copied once
from the library's buffers into numpy arrays. ctypes releases the GIL
during each call, so samplers run concurrently from Python threads.
"""

from __future__ import annotations

import ctypes
import json
import os
import random
from pathlib import Path
from typing import Any, Mapping, NamedTuple, Optional

import numpy as np

__all__ = [
    "AnnealError",
    "AnnealValueError",
    "Model",
    "SampleResult",
    "library_path",
    "propose",
]

_LIBRARY_NAME = "libAnnealC.so"

_OK, _INVALID_ARGUMENT = 0, 1
SPIN, BINARY = 0, 1


class AnnealError(RuntimeError):
    """An error the Swift library reported, with its message."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


class AnnealValueError(AnnealError, ValueError):
    """A bad argument the Swift library refused (NaN bias, unknown parameter...)."""


def library_path() -> Path:
    """Where libAnnealC is loaded from: ``$ANNEAL_LIBRARY`` or the bundled copy."""
    override = os.environ.get("ANNEAL_LIBRARY")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent / _LIBRARY_NAME


def _load() -> ctypes.CDLL:
    path = library_path()
    if not path.exists():
        raise ImportError(
            f"{path} is missing: install the package with `pip install ./python` "
            "(it builds the Swift library) or set ANNEAL_LIBRARY"
        )
    lib = ctypes.CDLL(str(path))
    c = ctypes
    err = c.POINTER(c.c_void_p)
    lib.anneal_version.restype = c.c_char_p
    lib.anneal_string_free.argtypes = [c.c_void_p]
    lib.anneal_string_free.restype = None
    lib.anneal_model_create.argtypes = [
        c.c_int64, c.c_void_p, c.c_int64, c.c_void_p, c.c_void_p, c.c_void_p,
        c.c_double, c.c_int32, c.POINTER(c.c_void_p), err,
    ]
    lib.anneal_model_create.restype = c.c_int32
    lib.anneal_model_free.argtypes = [c.c_void_p]
    lib.anneal_model_free.restype = None
    for name in ("anneal_model_num_variables", "anneal_model_num_interactions"):
        getattr(lib, name).argtypes = [c.c_void_p]
        getattr(lib, name).restype = c.c_int64
    lib.anneal_sample.argtypes = [
        c.c_void_p, c.c_char_p, c.c_uint64, c.c_void_p, c.c_int64,
        c.POINTER(c.c_void_p), err,
    ]
    lib.anneal_sample.restype = c.c_int32
    lib.anneal_result_free.argtypes = [c.c_void_p]
    lib.anneal_result_free.restype = None
    for name in ("anneal_result_num_rows", "anneal_result_num_variables"):
        getattr(lib, name).argtypes = [c.c_void_p]
        getattr(lib, name).restype = c.c_int64
    lib.anneal_result_samples.argtypes = [c.c_void_p]
    lib.anneal_result_samples.restype = c.POINTER(c.c_int8)
    lib.anneal_result_energies.argtypes = [c.c_void_p]
    lib.anneal_result_energies.restype = c.POINTER(c.c_double)
    lib.anneal_result_occurrences.argtypes = [c.c_void_p]
    lib.anneal_result_occurrences.restype = c.POINTER(c.c_int64)
    lib.anneal_result_info.argtypes = [c.c_void_p]
    lib.anneal_result_info.restype = c.c_char_p
    lib.anneal_propose.argtypes = [
        c.c_char_p, c.c_int64, c.c_int64, c.c_void_p, c.c_void_p, c.c_int64,
        c.c_uint64, c.c_void_p, c.POINTER(c.c_int64), err,
    ]
    lib.anneal_propose.restype = c.c_int32
    return lib


_lib = _load()


def version() -> str:
    """The library's version string."""
    return _lib.anneal_version().decode()


def _check(status: int, error: ctypes.c_void_p) -> None:
    if status == _OK:
        return
    message = "unknown error"
    if error.value:
        message = ctypes.string_at(error.value).decode("utf-8", "replace")
        _lib.anneal_string_free(error.value)
    if status == _INVALID_ARGUMENT:
        raise AnnealValueError(message, status)
    raise AnnealError(message, status)


def _real_array(values: Any, name: str, dtype: type) -> np.ndarray:
    array = np.asarray(values)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {array.dtype}")
    return np.ascontiguousarray(array, dtype=dtype)


def _pointer(array: np.ndarray) -> Optional[int]:
    return array.ctypes.data if array.size else None


class SampleResult(NamedTuple):
    """What one sampling call returns: rows in the model's vartype."""

    samples: np.ndarray  # int8, rows x variables
    energies: np.ndarray  # float64
    occurrences: np.ndarray  # int64
    info: dict


class Model:
    """A model held by the Swift library, on the variables ``0..n-1``.

    Immutable: one model may be sampled from several threads at once.
    """

    def __init__(
        self,
        linear: Any,
        rows: Any,
        cols: Any,
        quadratic: Any,
        offset: float,
        vartype: int,
    ) -> None:
        """Makes a model from dimod's ``to_numpy_vectors`` arrays.

        ``vartype`` is :data:`SPIN` (0) or :data:`BINARY` (1). Raises
        :class:`AnnealValueError` for NaN or infinite biases and indices out
        of range, :class:`TypeError` for arrays that do not hold numbers.
        """
        self._handle = ctypes.c_void_p()
        lin = _real_array(linear, "linear biases", np.float64)
        r = _real_array(rows, "interaction rows", np.int64)
        c = _real_array(cols, "interaction columns", np.int64)
        q = _real_array(quadratic, "quadratic biases", np.float64)
        if lin.ndim != 1 or r.ndim != 1 or c.ndim != 1 or q.ndim != 1:
            raise ValueError("linear, rows, cols and quadratic must be one-dimensional")
        if not (len(r) == len(c) == len(q)):
            raise ValueError(
                f"rows, cols and quadratic differ in length ({len(r)}, {len(c)}, {len(q)})"
            )
        error = ctypes.c_void_p()
        status = _lib.anneal_model_create(
            len(lin), _pointer(lin), len(q), _pointer(r), _pointer(c), _pointer(q),
            float(offset), int(vartype), ctypes.byref(self._handle), ctypes.byref(error),
        )
        _check(status, error)
        self.vartype = int(vartype)

    def __del__(self) -> None:
        handle = getattr(self, "_handle", None)
        if handle is not None and handle.value:
            _lib.anneal_model_free(handle)
            self._handle = None

    @property
    def num_variables(self) -> int:
        """The number of variables."""
        return int(_lib.anneal_model_num_variables(self._handle))

    @property
    def num_interactions(self) -> int:
        """The number of distinct interacting pairs."""
        return int(_lib.anneal_model_num_interactions(self._handle))

    def sample(
        self,
        configuration: Mapping[str, Any],
        seed: Optional[int] = None,
        initial_states: Optional[np.ndarray] = None,
    ) -> SampleResult:
        """Samples with a sampler configuration (``SamplerConfiguration`` JSON).

        ``seed`` seeds the run exactly as ``anneal solve --seed`` does; when
        ``None`` a random 32-bit seed is drawn (and reported in ``info``).
        ``initial_states`` is rows x variables in the model's vartype.
        """
        if seed is None:
            seed = random.randrange(2**32)
        if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
            raise TypeError(f"seed must be an integer, got {seed!r}")
        if not 0 <= int(seed) < 2**64:
            raise ValueError(f"seed must be in [0, 2**64), got {seed}")
        text = json.dumps(dict(configuration), allow_nan=False).encode()
        states_pointer, rows = None, 0
        if initial_states is not None:
            states = np.asarray(initial_states)
            if states.dtype.kind not in "biuf":
                raise TypeError(f"initial states must be numbers, got dtype {states.dtype}")
            if states.ndim != 2 or states.shape[1] != self.num_variables:
                raise ValueError(
                    f"initial states must have shape (rows, {self.num_variables}), "
                    f"got {states.shape}"
                )
            if states.shape[0] == 0:
                raise ValueError("initial states: give at least one row, or None")
            as_int = states.astype(np.int8)
            if not np.array_equal(as_int, states):
                raise ValueError("initial states must hold -1/+1 or 0/1 values")
            states = np.ascontiguousarray(as_int)
            states_pointer, rows = _pointer(states), states.shape[0]
        result = ctypes.c_void_p()
        error = ctypes.c_void_p()
        status = _lib.anneal_sample(
            self._handle, text, int(seed), states_pointer, rows,
            ctypes.byref(result), ctypes.byref(error),
        )
        _check(status, error)
        try:
            nrows = int(_lib.anneal_result_num_rows(result))
            n = int(_lib.anneal_result_num_variables(result))
            samples = np.ctypeslib.as_array(
                _lib.anneal_result_samples(result), shape=(max(1, nrows * n),)
            )[: nrows * n].copy().reshape(nrows, n)
            energies = np.ctypeslib.as_array(
                _lib.anneal_result_energies(result), shape=(max(1, nrows),)
            )[:nrows].copy()
            occurrences = np.ctypeslib.as_array(
                _lib.anneal_result_occurrences(result), shape=(max(1, nrows),)
            )[:nrows].copy()
            info = json.loads(_lib.anneal_result_info(result).decode())
        finally:
            _lib.anneal_result_free(result)
        return SampleResult(samples, energies, occurrences, info)


def propose(
    request: Mapping[str, Any],
    configurations: np.ndarray,
    values: np.ndarray,
    count: int,
    seed: int,
) -> np.ndarray:
    """Next configurations (value indices) from the Swift tuning sampler.

    ``configurations`` is trials x parameters int32 indices in
    ``request["parameter_order"]``; ``values`` the objective (NaN: running).
    """
    names = request.get("parameter_order") or sorted(request.get("parameters", {}))
    k = len(names)
    configs = np.ascontiguousarray(configurations, dtype=np.int32).reshape(-1, k)
    vals = np.ascontiguousarray(values, dtype=np.float64)
    if len(vals) != configs.shape[0]:
        raise ValueError(f"{configs.shape[0]} configurations but {len(vals)} values")
    out = np.empty((max(1, count), k), dtype=np.int32)
    written = ctypes.c_int64(0)
    error = ctypes.c_void_p()
    status = _lib.anneal_propose(
        json.dumps(dict(request), allow_nan=False).encode(), configs.shape[0], k,
        _pointer(configs), _pointer(vals), count, int(seed) % 2**64,
        out.ctypes.data, ctypes.byref(written), ctypes.byref(error),
    )
    _check(status, error)
    return out[: written.value].copy()
