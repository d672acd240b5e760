package org.eqp.dynamics;

import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One place in the code that runs the matrix product C = alpha * op(A) * op(B) + beta * C (BLAS gemm) again and
 * again on the same arrays: it keeps the ND4J {@code Mmul} op and its op context from one call to the next instead of
 * building both on every call as {@code Nd4j.gemm} does.
 *
 * <p>Why: building them allocates JavaCPP pointers for the arguments and shape data, each allocation running
 * JavaCPP's memory check. On this machine that costs 25-40 us per call, against 8-10 us for a whole reused
 * [500 x 20] x [20 x 10] product. The product itself is the same native call with the same arguments, so results are
 * bit-identical to {@code Nd4j.gemm}. A call with other arrays rebuilds the op and context; a call with another
 * alpha or beta resets the scalar arguments (about 6 us).
 *
 * <p>C must not be a view (as for {@code Nd4j.gemm}). Not thread-safe: one instance per call site and thread.
 */
public final class GemmSite {
    private final boolean transposeA;
    private final boolean transposeB;
    private INDArray a;
    private INDArray b;
    private INDArray c;
    private double alpha;
    private double beta;
    private Mmul op;
    private OpContext context;

    /**
     * @param transposeA whether op(A) is A transposed
     * @param transposeB whether op(B) is B transposed
     */
    public GemmSite(boolean transposeA, boolean transposeB) {
        this.transposeA = transposeA;
        this.transposeB = transposeB;
    }

    /** {@code count} sites of one kind, e.g. one per block of a topology. */
    public static GemmSite[] each(int count, boolean transposeA, boolean transposeB) {
        GemmSite[] sites = new GemmSite[count];
        for (int i = 0; i < count; i++) {
            sites[i] = new GemmSite(transposeA, transposeB);
        }
        return sites;
    }

    /**
     * c = alpha * op(a) * op(b) + beta * c.
     *
     * @return c
     * @throws IllegalArgumentException if c is a view (elementwise stride other than 1)
     */
    public INDArray run(INDArray a, INDArray b, INDArray c, double alpha, double beta) {
        if (op == null || a != this.a || b != this.b || c != this.c) {
            if (c.elementWiseStride() != 1) {
                throw new IllegalArgumentException("a gemm's output array must not be a view; got one of shape "
                        + java.util.Arrays.toString(c.shape()) + " and elementwise stride " + c.elementWiseStride());
            }
            op = new Mmul(a, b, c, alpha, beta,
                    MMulTranspose.builder().transposeA(transposeA).transposeB(transposeB).build());
            context = Nd4j.getExecutioner().buildContext();
            context.setInputArrays(a, b);
            context.setOutputArrays(c);
            context.setIArguments(op.iArgs());
            context.setTArguments(op.tArgs());
            this.a = a;
            this.b = b;
            this.c = c;
            this.alpha = alpha;
            this.beta = beta;
        } else if (alpha != this.alpha || beta != this.beta) {
            context.setTArguments(alpha, beta);
            this.alpha = alpha;
            this.beta = beta;
        }
        Nd4j.getExecutioner().exec(op, context);
        return c;
    }
}
