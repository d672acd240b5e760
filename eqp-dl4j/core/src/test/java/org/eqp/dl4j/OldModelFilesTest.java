package org.eqp.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.dl4j.conf.EpParamInitializer;
import org.eqp.testing.TinyProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** Model files written before EP layers kept their random-sign state as a parameter. */
class OldModelFilesTest {

    @Test
    void epModelSerializerReadsThemWithTheSignStateAtZeroWhereModelSerializerRefuses(@TempDir Path dir)
            throws Exception {
        // given a DenseLayer under an EP head, trained with Adam on three batches
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(8)
                .updater(new Adam(0.01)).list().layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.SIGMOID).build())
                .layer(new EpOutputLayer.Builder().nIn(5).nOut(3).hidden(8).build()).build());
        net.init();
        DataSet data = TinyProblems.blobs(30, 6, 3, 2);
        for (DataSet batch : data.batchBy(10)) {
            net.fit(batch);
        }
        // and its model file as the layer wrote it before: the same, without the random-sign state's entries
        File current = dir.resolve("current.zip").toFile();
        ModelSerializer.writeModel(net, current, true);
        File old = dir.resolve("old.zip").toFile();
        writeWithoutSignState(current, old, net);
        // when DL4J's ModelSerializer and EpModelSerializer read it
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ModelSerializer.restoreMultiLayerNetwork(old, true));
        MultiLayerNetwork restored = EpModelSerializer.restoreMultiLayerNetwork(old, true);
        // then DL4J refuses it for its length, and EpModelSerializer restores every parameter and the updater state,
        // with the sign state at 0 draws (the network had drawn 3)
        assertTrue(refused.getMessage().contains("expected length"), refused.getMessage());
        for (int i = 0; i < net.getnLayers(); i++) {
            for (Map.Entry<String, INDArray> p : net.getLayer(i).paramTable().entrySet()) {
                if (!p.getKey().equals(EpParamInitializer.SIGN_DRAWS)) {
                    assertEquals(p.getValue(), restored.getLayer(i).getParam(p.getKey()),
                            "layer " + i + " " + p.getKey());
                }
            }
        }
        assertEquals(3, EpParamInitializer.signDraws(net.getLayer(1).paramTable()));
        assertEquals(0, EpParamInitializer.signDraws(restored.getLayer(1).paramTable()));
        assertEquals(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        assertEquals(net.output(data.getFeatures()), restored.output(data.getFeatures()));
    }

    /** Copies a model file, writing its parameters without the EP layers' random-sign state. */
    private static void writeWithoutSignState(File source, File target, MultiLayerNetwork net) throws Exception {
        float[] all = net.params().toFloatVector();
        float[] kept = new float[all.length];
        int from = 0;
        int to = 0;
        for (Layer layer : net.getLayers()) {
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                int n = (int) p.getValue().length();
                if (!p.getKey().equals(EpParamInitializer.SIGN_DRAWS)) {
                    System.arraycopy(all, from, kept, to, n);
                    to += n;
                }
                from += n;
            }
        }
        INDArray params = Nd4j.create(java.util.Arrays.copyOf(kept, to), 1, to);
        try (ZipFile zip = new ZipFile(source);
             ZipOutputStream out = new ZipOutputStream(new FileOutputStream(target))) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                if (entry.getName().equals(ModelSerializer.COEFFICIENTS_BIN)) {
                    DataOutputStream data = new DataOutputStream(out);
                    Nd4j.write(params, data);
                    data.flush();
                } else {
                    zip.getInputStream(entry).transferTo(out);
                }
                out.closeEntry();
            }
        }
    }
}
