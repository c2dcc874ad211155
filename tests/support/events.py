"""A publisher that always fails: swapped into a service's wiring to test what a lost publish does."""


class UnreachableTopic:
    def publish(self, event):
        raise ConnectionError("the events topic is unreachable")
