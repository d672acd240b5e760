package org.eqp.data;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.datavec.api.conf.Configuration;
import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaData;
import org.datavec.api.records.metadata.RecordMetaDataIndex;
import org.datavec.api.records.reader.BaseRecordReader;
import org.datavec.api.split.InputSplit;
import org.datavec.api.writable.IntWritable;
import org.datavec.api.writable.NDArrayWritable;
import org.datavec.api.writable.Writable;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DataVec {@code RecordReader} over an IDX image file and its label file (MNIST, Fashion-MNIST), plain or gzipped.
 * Each record is {@code [NDArrayWritable features [1, rows*cols] = pixel/255 (float), IntWritable label]}, so
 * {@code new RecordReaderDataSetIterator(reader, batch, 1, numClasses)} yields features [batch, rows*cols] and
 * one-hot labels.
 *
 * <p>The files are given to the constructor; {@link #initialize(InputSplit)} only rewinds (the split is ignored).
 * Both files are read into memory on construction (47 MB for MNIST's training images).
 */
public class IdxRecordReader extends BaseRecordReader {
    private final Path imagesFile;
    private final IdxFile.Images images;
    private final int[] labels;
    private final List<String> labelNames;
    private int cursor;
    private Configuration conf = new Configuration();

    /**
     * @param limit at most this many examples (the first ones); negative for all
     * @throws IOException if a file is malformed or the counts disagree
     */
    public IdxRecordReader(Path images, Path labels, int numClasses, int limit) throws IOException {
        this.imagesFile = images;
        this.images = IdxFile.readImages(images, limit);
        this.labels = IdxFile.readLabels(labels, limit);
        if (this.images.count() != this.labels.length) {
            throw new IOException(images + " holds " + this.images.count() + " images but " + labels + " holds "
                    + this.labels.length + " labels");
        }
        IdxDataLoader.oneHot(this.labels, numClasses, labels.toString()); // validates the label range
        labelNames = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            labelNames.add(Integer.toString(c));
        }
    }

    @Override
    public void initialize(InputSplit split) {
        reset();
    }

    @Override
    public void initialize(Configuration conf, InputSplit split) {
        this.conf = conf;
        reset();
    }

    @Override
    public boolean hasNext() {
        return cursor < labels.length;
    }

    @Override
    public List<Writable> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more IDX records in " + imagesFile);
        }
        return recordAt(cursor++);
    }

    private List<Writable> recordAt(int index) {
        int width = images.pixelsPerImage();
        float[] row = new float[width];
        byte[] pixels = images.pixels();
        for (int j = 0; j < width; j++) {
            row[j] = (pixels[index * width + j] & 0xff) / 255f;
        }
        List<Writable> record = new ArrayList<>(2);
        record.add(new NDArrayWritable(Nd4j.create(row, new long[] {1, width}, 'c')));
        record.add(new IntWritable(labels[index]));
        return record;
    }

    @Override
    public List<String> getLabels() {
        return labelNames;
    }

    @Override
    public void reset() {
        cursor = 0;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public List<Writable> record(URI uri, DataInputStream dataInputStream) {
        throw new UnsupportedOperationException("IdxRecordReader reads whole IDX files; use next()");
    }

    @Override
    public Record nextRecord() {
        int index = cursor;
        return new org.datavec.api.records.impl.Record(next(),
                new RecordMetaDataIndex(index, imagesFile.toUri(), IdxRecordReader.class));
    }

    @Override
    public Record loadFromMetaData(RecordMetaData recordMetaData) {
        int index = Math.toIntExact(((RecordMetaDataIndex) recordMetaData).getIndex());
        return new org.datavec.api.records.impl.Record(recordAt(index), recordMetaData);
    }

    @Override
    public List<Record> loadFromMetaData(List<RecordMetaData> recordMetaDatas) {
        List<Record> out = new ArrayList<>();
        for (RecordMetaData m : recordMetaDatas) {
            out.add(loadFromMetaData(m));
        }
        return out;
    }

    @Override
    public void close() {
        // everything is in memory
    }

    @Override
    public void setConf(Configuration conf) {
        this.conf = conf;
    }

    @Override
    public Configuration getConf() {
        return conf;
    }
}
