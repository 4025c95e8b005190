// test/api/security-hygiene.test.ts again, on PostgreSQL: each app gets a fresh database on the run's cluster.
import '../helpers/on-postgres.js';
import '../api/security-hygiene.test.js';
