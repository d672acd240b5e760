package org.eqp.examples.cli;

import org.eqp.examples.run.RelaxationSchedule;
import picocli.CommandLine.ParseResult;

/** The {@code --schedule seed|fast} option of {@code train} and {@code reproduce fig2}. */
final class ScheduleOption {
    private ScheduleOption() {
    }

    /**
     * The schedule named on the command line.
     *
     * @param setByFast the options {@link RelaxationSchedule#FAST} sets itself, refused next to it
     * @throws IllegalArgumentException for another schedule name, or for fast with one of {@code setByFast}
     */
    static RelaxationSchedule parse(String name, ParseResult given, String... setByFast) {
        RelaxationSchedule chosen = RelaxationSchedule.parse(name);
        if (chosen == RelaxationSchedule.FAST) {
            for (String option : setByFast) {
                if (given.hasMatchedOption(option)) {
                    throw new IllegalArgumentException("--schedule fast sets " + option + " itself; drop " + option
                            + ", or use --schedule seed to set the steps yourself");
                }
            }
        }
        return chosen;
    }
}
