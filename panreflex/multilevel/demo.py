def load_demo_multilevel(*, stdout=None):
    pass
