"""Dispatches: a correspondence-network dashboard of the 1949 Stalin-Mao telegrams."""
