#!/usr/bin/env python
from panreflex.__main__ import main

if __name__ == "__main__":
    main()
