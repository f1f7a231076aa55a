"""Development tools, out of the product's path: the Qt side of benchmarks and screenshots.

``vigie bench ui``/``vigie bench map`` and ``make screenshots`` run them; the console never
imports them.
"""
