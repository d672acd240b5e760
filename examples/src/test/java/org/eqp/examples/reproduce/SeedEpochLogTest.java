package org.eqp.examples.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's per-epoch logs, bundled: a logged run's errors by epoch. */
class SeedEpochLogTest {

    @Test
    void aRunIsFoundByItsIndexAndTheFirstRunByItsFile() throws Exception {
        // given the bundled logs, where wine_5layer_mlff logged runs 0 and 1 alike at epoch 1 and run 2 differently
        SeedEpochLog log = SeedEpochLog.read(SeedReference.bundled());
        String wine = SeedEpochLog.logFile("wine_5layer_mlff");
        // then run 2 reads its own line, and the first run is run 0
        assertEquals(new SeedEpochLog.Errors(0.66, 0.84), log.run(wine, 2, 1).orElseThrow());
        assertEquals(new SeedEpochLog.Errors(0.7466666666666667, 0.6), log.firstRun(wine, 1).orElseThrow());
        // and table 1's image trials are there at epoch 10
        assertEquals(new SeedEpochLog.Errors(0.40226666666666666, 0.4063),
                log.run(SeedEpochLog.logFile("mnist_5layer_mlff"), 0, 10).orElseThrow());
    }

    @Test
    void anEpochARunDidNotReachIsEmpty() throws Exception {
        SeedEpochLog log = SeedEpochLog.read(SeedReference.bundled());
        // run 0 of wine_5layer_mlff stopped after epoch 1
        assertTrue(log.run(SeedEpochLog.logFile("wine_5layer_mlff"), 0, 2).isEmpty());
        assertTrue(log.firstRun("results/no_such_trial/log.txt", 1).isEmpty());
    }

    @Test
    void aReferenceFolderWithoutTheFileGivesNoRuns(@TempDir Path empty) throws Exception {
        assertTrue(SeedEpochLog.read(SeedReference.in(empty)).firstRun(SeedEpochLog.logFile("mnist_3layer_mlff"), 1)
                .isEmpty());
    }

    @Test
    void aLogWithoutAColumnItNeedsIsAnErrorNamingTheColumn(@TempDir Path dir) throws Exception {
        // given a reference folder whose per-epoch log lacks the epoch column
        Files.writeString(dir.resolve(SeedEpochLog.FILE), "log_file,run_index,train_error_online,test_error\n"
                + "results/x/log.txt,0,0.5,0.4\n");
        // when it is read, the error names the file and the missing column
        IOException e = assertThrows(IOException.class, () -> SeedEpochLog.read(SeedReference.in(dir)));
        assertTrue(e.getMessage().contains(SeedEpochLog.FILE) && e.getMessage().contains("lacks the column(s) epoch;"),
                e.getMessage());
    }

    @Test
    void theFullLogFormatWithQuotedRatesAndEmptyLastColumnsIsRead(@TempDir Path dir) throws Exception {
        // given the shared reference's layout: a quoted per-layer rate list and an empty printed log-spread
        Files.writeString(dir.resolve(SeedEpochLog.FILE), "log_file,run_index,learning_rate,epoch,train_error_online,"
                + "test_error,spread_stdev_printed\n"
                + "results/x/log.txt,0,\"[0.1, 0.05]\",1,0.5,0.4,\n");
        // then the run's errors are read from the right columns
        assertEquals(new SeedEpochLog.Errors(0.5, 0.4),
                SeedEpochLog.read(SeedReference.in(dir)).run("results/x/log.txt", 0, 1).orElseThrow());
    }
}
