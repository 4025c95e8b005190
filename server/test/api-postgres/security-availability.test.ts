// test/api/security-availability.test.ts again, on PostgreSQL: each app gets a fresh database on the run's cluster.
import '../helpers/on-postgres.js';
import '../api/security-availability.test.js';
