"""scikit-learn's estimator conventions for the constructor's parameters.

:class:`ParamsMixin` gives a class whose ``__init__`` only stores its keyword arguments
(as scikit-learn requires) the methods that scikit-learn's tools rely on: ``get_params``
and ``set_params`` (so ``sklearn.base.clone``, grid searches and pipelines can copy and
change the estimator), and a ``repr`` that shows the parameters changed from their
defaults, in scikit-learn's layout: ``GaussianMixture(n_components=3, random_state=0)``.
"""

from __future__ import annotations

import inspect
import math
from collections import defaultdict

#: Longest line of a ``repr`` before it wraps, as scikit-learn's pretty printer.
REPR_WIDTH = 79


class ParamsMixin:
    """``get_params``, ``set_params`` and ``__repr__`` read from ``__init__``'s signature."""

    @classmethod
    def _get_param_names(cls) -> list[str]:
        """The constructor's parameter names, sorted."""
        signature = inspect.signature(cls.__init__)
        return sorted(
            name
            for name, parameter in signature.parameters.items()
            if name != "self" and parameter.kind != parameter.VAR_KEYWORD
        )

    def get_params(self, deep: bool = True) -> dict:
        """The constructor's parameters and their values.

        Parameters
        ----------
        deep : bool, default True
            Also list the parameters of parameters that are estimators themselves, as
            ``"<name>__<parameter>"``.

        Returns
        -------
        dict
            Parameter name to value, sorted by name.
        """
        out = {}
        for name in self._get_param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{name}__{key}", inner) for key, inner in value.get_params().items())
            out[name] = value
        return out

    def set_params(self, **params):
        """Set parameters (checked at the next ``fit``, as in scikit-learn).

        ``"<name>__<parameter>"`` sets a parameter of a parameter that is an estimator.

        Returns
        -------
        self

        Raises
        ------
        ValueError
            For a name that is not a constructor parameter, listing the valid ones.
        """
        if not params:
            return self
        valid = self.get_params(deep=True)
        nested = defaultdict(dict)
        for key, value in params.items():
            name, delimiter, inner = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {self}. "
                    f"Valid parameters are: {self._get_param_names()!r}."
                )
            if delimiter:
                nested[name][inner] = value
            else:
                setattr(self, name, value)
                valid[name] = value
        for name, inner_params in nested.items():
            valid[name].set_params(**inner_params)
        return self

    def _changed_params(self) -> dict:
        """The parameters whose value differs from the constructor's default."""
        defaults = {
            name: parameter.default
            for name, parameter in inspect.signature(type(self).__init__).parameters.items()
        }

        def changed(name, value):
            default = defaults.get(name, inspect.Parameter.empty)
            if default is inspect.Parameter.empty:
                return True
            return repr(value) != repr(default) and not (_is_nan(value) and _is_nan(default))

        return {k: v for k, v in self.get_params(deep=False).items() if changed(k, v)}

    def __repr__(self) -> str:
        head = f"{type(self).__name__}("
        indent = " " * len(head)
        items = [f"{name}={value!r}" for name, value in self._changed_params().items()]
        lines = [head]
        for i, item in enumerate(items):
            piece = item + ("," if i < len(items) - 1 else ")")
            fresh = lines[-1] in (head, indent)
            if not fresh and len(lines[-1]) + 1 + len(piece) > REPR_WIDTH:
                lines.append(indent)
                fresh = True
            lines[-1] += piece if fresh else " " + piece
        return "\n".join(lines) if items else head + ")"


def _is_nan(value) -> bool:
    return isinstance(value, float) and math.isnan(value)
