// The order of a server's status snapshots, owned by the manager so a client can merge list
// answers and change events that arrive in any order: of two snapshots of one profile, the one
// with the higher revision is the newer.
//
// One process-wide counter, seeded from the clock in microseconds and never behind it: a manager
// restarted later starts above every revision the previous process handed out (it would have had
// to change statuses faster than a million times a second for its counter to outrun the clock),
// so a page open across the restart still orders what it receives. Date.now() * 1000 is about
// 1.8e15 today and stays below 2^53 (exact in a double and in JSON) until the year 2255. A clock
// set back between two runs could break the order for that one gap; a page reload heals it.

let last = 0;

/** A revision greater than every one handed out before in this process. */
export function nextRevision(now: number = Date.now()): number {
  last = Math.max(last + 1, Math.floor(now) * 1000);
  return last;
}
