package org.eqp.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The stateless random sign repeats the sequence of java.util.Random, which the engine used to hold. */
class RandomBetaSignTest {

    @Test
    void drawTIsTheNextBooleanNumberTPlusOneOfARandomWithTheSameSeed() {
        for (long seed : new long[] {0, 1, 5 + 31, -7, Long.MAX_VALUE, Long.MIN_VALUE}) {
            // given java.util.Random and the stateless sign with the same seed
            Random random = new Random(seed);
            RandomBetaSign sign = new RandomBetaSign(seed);
            // when draws 0, 1, 2, ... are taken
            for (long t = 0; t < 5000; t++) {
                // then each agrees with the next boolean
                assertEquals(random.nextBoolean(), sign.negative(t), "seed " + seed + ", draw " + t);
            }
        }
    }

    @Test
    void aDrawFarAheadNeedsNoEarlierOnes() {
        Random random = new Random(11);
        for (int t = 0; t < 123_456; t++) {
            random.nextBoolean();
        }
        assertEquals(random.nextBoolean(), new RandomBetaSign(11).negative(123_456));
    }

    @Test
    void aNegativeDrawIndexIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new RandomBetaSign(1).negative(-1));
    }
}
