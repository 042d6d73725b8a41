/**
 * A fault-schedule harness: producers and consumers in separate JVMs ({@link dev.redisstarter.test.schedule.JvmProcess}),
 * a seeded {@link dev.redisstarter.test.schedule.FaultSchedule} applied by a
 * {@link dev.redisstarter.test.schedule.FaultInjector}, an {@link dev.redisstarter.test.schedule.EventLedger} each process
 * appends to, and a {@link dev.redisstarter.test.schedule.LedgerCheck} of the delivery invariants.
 */
@NullMarked
package dev.redisstarter.test.schedule;

import org.jspecify.annotations.NullMarked;
