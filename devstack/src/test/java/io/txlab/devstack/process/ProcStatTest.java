package io.txlab.devstack.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ProcStatTest {

    @Test
    void readsTheTotalOfAPressureLine() {
        assertThat(ProcStat.parseTotal("full avg10=12.77 avg60=20.68 avg300=11.85 total=500591626")).isEqualTo(500591626L);
        assertThat(ProcStat.parseTotal("full avg10=0.00 avg60=0.00 avg300=0.00")).isEqualTo(-1L);
    }

    @Test
    void ioStallIsTheStalledShareOfTheWindow() {
        ProcStat.MachineTicks before = new ProcStat.MachineTicks(1000, 500, 1_000_000);
        ProcStat.MachineTicks after = new ProcStat.MachineTicks(1400, 700, 3_000_000);
        // 2 s stalled in a 10 s window
        assertThat(after.ioStallPercentSince(before, 10)).isCloseTo(20.0, within(1e-9));
        assertThat(after.busyPercentSince(before)).isCloseTo(50.0, within(1e-9));
    }

    @Test
    void noPressureInformationIsNotAZeroStall() {
        ProcStat.MachineTicks before = new ProcStat.MachineTicks(1000, 500, -1);
        ProcStat.MachineTicks after = new ProcStat.MachineTicks(1400, 700, -1);
        assertThat(after.ioStallPercentSince(before, 10)).isNaN();
    }

    @Test
    void thisMachineReportsItsCpu() {
        ProcStat.MachineTicks machine = ProcStat.machine();
        assertThat(machine.total()).isPositive();
        assertThat(machine.idle()).isBetween(0L, machine.total());
    }
}
