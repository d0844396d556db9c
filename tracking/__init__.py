"""The pure domain over stored commitments: merging, conflict rules and the state at a given time."""
