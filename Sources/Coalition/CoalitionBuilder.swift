import Sourcing

/// Builds `instances/coalition-2026.json` from `instances/data/`.
public enum CoalitionBuilder {}
