// test/api/security-sessions.test.ts again, on PostgreSQL: each app gets a fresh database on the run's cluster.
import '../helpers/on-postgres.js';
import '../api/security-sessions.test.js';
