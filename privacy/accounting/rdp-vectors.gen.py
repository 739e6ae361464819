"""Generator of privacy/testdata/rdp.json "logA" and "specialFunctions" vectors (independent high precision).

Run: python3 privacy/accounting/rdp-vectors.gen.py > /tmp/v.json  (needs mpmath; no dp_accounting involved).
A_alpha is the integral of mu0 * (mu / mu0)^alpha with mu0 = N(0, s^2), mu = (1-q) N(0, s^2) + q N(1, s^2),
evaluated with mpmath quadrature at 60 digits, split at z0 and the two means.
"""
import json
import mpmath as mp

mp.mp.dps = 60

def log_a(q, sigma, alpha):
    q, s, a = mp.mpf(q), mp.mpf(sigma), mp.mpf(alpha)
    def f(x):
        m0 = mp.npdf(x, 0, s)
        m1 = mp.npdf(x, 1, s)
        return m0 * ((1 - q) + q * m1 / m0) ** a
    z0 = s ** 2 * mp.log(1 / q - 1) + mp.mpf(1) / 2
    pts = sorted({mp.mpf(0), mp.mpf(1), z0, z0 + 10 * s, a * 1, -10 * s})
    return mp.log(mp.quad(f, [-mp.inf] + pts + [mp.inf], maxdegree=10))

CASES = [(1e-7, 0.1, 1.01), (1e-6, 0.1, 256), (1e-5, 0.1, 256.1), (1e-6, 1, 27), (1e-4, 1, 1.5),
         (1e-3, 1, 2), (0.01, 10, 20), (0.1, 100, 20.5), (0.99, 0.1, 256), (0.999, 100, 256.1)]
out = {"logA": [{"q": q, "sigma": s, "alpha": a, "logA": float(log_a(q, s, a))} for q, s, a in CASES]}
xs = [-5, -1.5, -0.3, 0, 0.1, 0.5, 1, 1.49, 1.5, 1.51, 2, 3, 5, 10, 26, 30, 100, 1e4]
out["logErfc"] = [[x, float(mp.log(mp.erfc(x)))] for x in xs]
out["logNdtr"] = [[x, float(mp.log(mp.ncdf(x)))] for x in [-1e4, -100, -40, -20, -5, -1, 0, 1, 5, 8, 10, 40]]
out["gammaln"] = [[x, float(mp.log(abs(mp.gamma(x))))] for x in [-1023.5, -100.3, -2.5, -0.5, 0.1, 0.5, 1, 1.5, 2, 2.5, 3.3, 9.99, 10, 27, 1025, 1e6]]
print(json.dumps(out, indent=1))
