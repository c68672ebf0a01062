//! Tests of the registry and the route tables.
