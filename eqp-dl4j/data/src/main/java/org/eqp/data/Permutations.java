package org.eqp.data;

import java.util.Random;

/** Seeded permutations of example indices (Fisher-Yates). */
final class Permutations {
    private Permutations() {
    }

    /** 0..n-1 in the order drawn by {@code random}. */
    static int[] of(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        return order;
    }

    /** Shuffles {@code order} in place. */
    static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
