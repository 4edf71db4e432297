"""Stage 7: the corpus, stress and standard-library tiers, the two oracles, judging, results and reports."""
