"""Solvers for one allocation component: the problem and its placement semantics
(``problem``), a budgeted branch and bound (``dfs``) and an exact MILP (``milp``).
:mod:`creditrules.allocate` chooses among them."""
