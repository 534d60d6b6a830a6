"""The bootstrap: counting seams loaded into any Python program's process before it runs.

The parent (:mod:`fault_injection.bootenv`) puts this directory first on the child's
``PYTHONPATH``; Python's ``site`` then imports :mod:`sitecustomize` from here, which loads the
seams (:mod:`fs_seams`, :mod:`open_seam`, :mod:`os_seams`) under private module names, hides
itself again and chains to the ``sitecustomize`` it shadowed. Everything here uses the standard
library only: it runs inside other people's processes and virtual environments.
"""
