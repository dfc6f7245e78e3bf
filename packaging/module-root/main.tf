# The root module of the package creates nothing: registries require one, and its README points
# to the tier modules under modules/ (genai-session, rate-limit, cache).
