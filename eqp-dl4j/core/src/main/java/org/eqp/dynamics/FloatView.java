package org.eqp.dynamics;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Direct element access to the native memory of a contiguous FLOAT INDArray, for fused plain-Java loops.
 * One Java pass over a few thousand floats costs about as much as the fixed overhead of a single ND4J op, and ND4J's
 * multi-threaded elementwise ops degrade badly when another process holds a core (README, "Measured"); the relaxation
 * does all its elementwise work through this class.
 *
 * <p>Element {@code i} is the i-th element of the array in its own buffer ordering; callers needing (row, column)
 * must know the ordering (the relaxation uses 'f' order: element (r, c) at c * rows + r).
 * Hot loops should copy {@link #buffer()} into a local variable: field loads inside a loop that stores to native
 * memory are not hoisted by the JIT and cost ~5x.
 */
public final class FloatView {
    private final FloatBuffer buffer;
    private final int length;

    private FloatView(FloatBuffer buffer, int length) {
        this.buffer = buffer;
        this.length = length;
    }

    /**
     * Wraps the native buffer of {@code array} without copying.
     *
     * @throws IllegalArgumentException if the array is not FLOAT or not contiguous in its buffer
     */
    public static FloatView of(INDArray array) {
        if (array.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("EP buffers are float32 (FLOAT); got " + array.dataType());
        }
        if (array.length() > 1 && array.elementWiseStride() != 1) {
            throw new IllegalArgumentException("FloatView needs a contiguous array (element-wise stride 1); got shape "
                    + Arrays.toString(array.shape()) + " with stride " + Arrays.toString(array.stride()));
        }
        int offset = Math.toIntExact(array.offset());
        int length = Math.toIntExact(array.length());
        FloatBuffer all = array.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        FloatBuffer slice = all.position(offset).limit(offset + length).slice();
        return new FloatView(slice, length);
    }

    /** The elements as a zero-based buffer of {@link #length()} floats (absolute get/put only). */
    public FloatBuffer buffer() {
        return buffer;
    }

    public int length() {
        return length;
    }

    public float get(int i) {
        return buffer.get(i);
    }

    public void set(int i, float v) {
        buffer.put(i, v);
    }

    /** True when no element is NaN or infinite. */
    public boolean allFinite() {
        FloatBuffer b = buffer;
        for (int i = 0; i < length; i++) {
            if (!Float.isFinite(b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Multiplies element i by {@code factors[i]} (same length), e.g. to apply a 0/1 connection mask. */
    public void multiplyElementwise(float[] factors) {
        if (factors.length != length) {
            throw new IllegalArgumentException("length mismatch: " + factors.length + " vs " + length);
        }
        FloatBuffer b = buffer;
        for (int i = 0; i < length; i++) {
            b.put(i, b.get(i) * factors[i]);
        }
    }

    /** Sets every element to {@code v}. */
    public void fill(float v) {
        FloatBuffer b = buffer;
        for (int i = 0; i < length; i++) {
            b.put(i, v);
        }
    }

    /** Copies all elements of {@code src} (same length) into this view. */
    public void copyFrom(FloatView src) {
        if (src.length != length) {
            throw new IllegalArgumentException("length mismatch: " + src.length + " vs " + length);
        }
        buffer.put(0, src.buffer, 0, length);
    }

    /**
     * Copies the matrix {@code src} [rows, cols] (any ordering and data type) into this view in 'f' order
     * (element (r, c) at c * rows + r), in one Java pass instead of an ND4J op.
     */
    public void copyMatrixToFortranOrder(INDArray src) {
        int rows = Math.toIntExact(src.size(0));
        int cols = Math.toIntExact(src.size(1));
        if ((long) rows * cols != length) {
            throw new IllegalArgumentException("matrix " + rows + "x" + cols + " does not fit a view of length " + length);
        }
        INDArray contiguous = src.dataType() == DataType.FLOAT && src.elementWiseStride() == 1 ? src
                : src.castTo(DataType.FLOAT).dup(src.ordering());
        FloatBuffer in = of(contiguous).buffer;
        if (contiguous.ordering() == 'f') {
            buffer.put(0, in, 0, length);
            return;
        }
        FloatBuffer out = buffer;
        for (int r = 0; r < rows; r++) {
            int rowBase = r * cols;
            for (int c = 0; c < cols; c++) {
                out.put(c * rows + r, in.get(rowBase + c));
            }
        }
    }
}
