"""Running entityx on a Dask cluster: what runs on the workers, and how the client reaches them.

Dask is an optional extra (``pip install 'entityx[dask]'``); only :mod:`entityx.cluster.client`
imports it, and says how to install it when it is missing.
"""
