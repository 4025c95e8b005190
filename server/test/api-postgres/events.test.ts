// test/api/events.test.ts again, on PostgreSQL: each app gets a fresh database on the run's cluster.
import '../helpers/on-postgres.js';
import '../api/events.test.js';
