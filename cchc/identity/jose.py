"""Authlib's JOSE (JWS/JWK/JWT) in one import place.

Authlib ≥ 1.6 marks `authlib.jose` deprecated in favour of its sister package joserfc (same authors, same
licence); the API stays until Authlib 2.0. The warning is silenced here only, so moving to joserfc later
touches this file alone.
"""

import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from authlib.jose import JsonWebKey, JsonWebToken, jwt  # noqa: F401
    from authlib.jose.errors import (  # noqa: F401
        BadSignatureError,
        DecodeError,
        ExpiredTokenError,
        InvalidClaimError,
        InvalidTokenError,
        JoseError,
        MissingClaimError,
    )
