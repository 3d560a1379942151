//! Support for the workspace's end-to-end tests: servers on loopback that the tests start.
