package org.eqp.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class ShufflingDataSetIteratorTest {
    private static final DataSet DATA = new DataSet(Nd4j.arange(10).castTo(DataType.FLOAT).reshape(10, 1),
            Nd4j.zeros(DataType.FLOAT, 10, 2));

    private static List<Integer> pass(ShufflingDataSetIterator it) {
        List<Integer> seen = new ArrayList<>();
        while (it.hasNext()) {
            DataSet batch = it.next();
            for (int i = 0; i < batch.numExamples(); i++) {
                seen.add(batch.getFeatures().getInt(i, 0));
            }
        }
        it.reset();
        return seen;
    }

    @Test
    void everyExampleOncePerEpochInASeededNewOrder() {
        ShufflingDataSetIterator a = new ShufflingDataSetIterator(DATA, 3, 7, true);
        ShufflingDataSetIterator b = new ShufflingDataSetIterator(DATA, 3, 7, true);
        List<Integer> first = pass(a);
        List<Integer> second = pass(a);
        assertEquals(first, pass(b), "same seed, same first epoch");
        assertEquals(second, pass(b), "same seed, same second epoch");
        assertNotEquals(first, second, "each epoch has its own order");
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), first.stream().sorted().toList());
    }

    @Test
    void withoutShufflingTheOrderIsKept() {
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), pass(new ShufflingDataSetIterator(DATA, 4, 7, false)));
    }

    @Test
    void anIteratorMadeAtASavedPositionContinuesTheSameOrderExactly() {
        // given an iterator that has handed out pass 1 and the first two batches of pass 2 (batches of 3)
        ShufflingDataSetIterator original = new ShufflingDataSetIterator(DATA, 3, 7, true);
        pass(original);
        original.next();
        original.next();
        ShufflingDataSetIterator.Position saved = original.position();
        assertEquals(new ShufflingDataSetIterator.Position(2, 6), saved);
        // when a new iterator is made at that position
        ShufflingDataSetIterator resumed = ShufflingDataSetIterator.at(DATA, 3, 7, true, saved);
        // then it hands out the rest of pass 2 (examples 7-10 of its order, batches of 3 and 1) and pass 3 as the
        // original does
        assertEquals(pass(original), pass(resumed), "the rest of pass 2");
        assertEquals(pass(original), pass(resumed), "pass 3");
        assertEquals(new ShufflingDataSetIterator.Position(4, 0), resumed.position());
    }

    @Test
    void theBatchCopiedAheadIsHandedOutOnlyWhenAskedForAndOnlyAsAsked() {
        // given an iterator that has handed out one batch of 3 (the next 3 are being copied in the background)
        ShufflingDataSetIterator it = new ShufflingDataSetIterator(DATA, 3, 7, true);
        List<Integer> order = pass(new ShufflingDataSetIterator(DATA, 3, 7, true));
        it.next();
        // then its position counts only the batch handed out
        assertEquals(new ShufflingDataSetIterator.Position(1, 3), it.position());
        // when the next batch is asked for with another size than the one copied ahead
        DataSet two = it.next(2);
        // then it holds the next two examples of the order, and the default-size batch after it the following three
        assertEquals(order.subList(3, 5), List.of(two.getFeatures().getInt(0, 0), two.getFeatures().getInt(1, 0)));
        DataSet three = it.next();
        assertEquals(order.subList(5, 8), List.of(three.getFeatures().getInt(0, 0), three.getFeatures().getInt(1, 0),
                three.getFeatures().getInt(2, 0)));
        // and a reset mid-pass starts the next pass's order, not the rest of the copied batch
        it.reset();
        ShufflingDataSetIterator reference = new ShufflingDataSetIterator(DATA, 3, 7, true);
        pass(reference);
        assertEquals(pass(reference), pass(it));
    }

    @Test
    void aPositionBeyondTheDataIsRefused() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ShufflingDataSetIterator.at(DATA, 3, 7, true, new ShufflingDataSetIterator.Position(1, 11)));
        assertEquals("data position Position[pass=1, cursor=11] lies beyond the 10 examples of the data", e.getMessage());
    }

    @Test
    void batchesHoldTheChosenRowsWhateverTheMatrixLayout() {
        // given a 7 x 5 float matrix row-major, the same column-major, a row-range view and a double copy
        org.nd4j.linalg.api.ndarray.INDArray rowMajor = Nd4j.rand(DataType.FLOAT, 7, 5);
        int[] rows = {6, 0, 3, 3};
        List<org.nd4j.linalg.api.ndarray.INDArray> layouts = List.of(rowMajor, rowMajor.dup('f'),
                Nd4j.rand(DataType.FLOAT, 9, 5).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 8),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()), rowMajor.castTo(DataType.DOUBLE));
        for (org.nd4j.linalg.api.ndarray.INDArray m : layouts) {
            // when rows are taken in a chosen order (repeats included)
            org.nd4j.linalg.api.ndarray.INDArray taken = ShufflingDataSetIterator.rows(m, rows);
            // then they are those rows, as pullRows gives them
            assertEquals(Nd4j.pullRows(m, 1, rows), taken, m.ordering() + " " + m.dataType());
        }
    }
}
