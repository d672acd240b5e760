package org.eqp.energy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.eqp.learning.EpSettings;
import org.eqp.testing.TinyProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.impl.LossL2;

/** An energy written in SameDiff, trained SameDiff-native by EP: it learns, saves, loads and resumes exactly. */
class EnergyModelTest {
    private static final EpSettings SETTINGS = new EpSettings(0.5, 1.0, 12, 4, true, false, 0, false);

    private static SameDiffEnergy layered(long seed) {
        EnergyGraph graph = new EnergyGraph(DataType.FLOAT, seed);
        SDVariable x = graph.input(4);
        SDVariable h = graph.state("h", 12);
        SDVariable y = graph.state("y", 3);
        return graph.dense(x, h).dense(h, y).build();
    }

    private static EnergyModel model(IUpdater updater) {
        return new EnergyModel(layered(3), SETTINGS, new LossL2(), new ActivationIdentity(), updater, 7);
    }

    private static ListDataSetIterator<DataSet> batches(DataSet data) {
        return new ListDataSetIterator<>(data.asList(), 10);
    }

    @Test
    void aHopfieldEnergyComposedInSameDiffLearnsBlobs() {
        // given three well-separated blobs and an untrained 4-12-3 energy
        DataSet data = TinyProblems.blobs(60, 4, 3, 5);
        EnergyModel model = model(new Sgd(0.2));
        double before = model.evaluate(batches(data)).accuracy();
        // when EP trains it for 10 epochs
        model.fit(batches(data), 10);
        // then it classifies them (chance is 1/3)
        double after = model.evaluate(batches(data)).accuracy();
        System.out.printf("SameDiff energy on blobs: accuracy %.3f -> %.3f after %d steps%n", before, after,
                model.steps());
        assertTrue(after > 0.9, "accuracy after training: " + after);
        assertEquals(10 * 6, model.steps());
    }

    @Test
    void aSavedModelPredictsTheSameAndTrainsOnExactlyAsTheOriginal(@TempDir Path dir) throws IOException {
        // given a model trained for two epochs with Adam (updater state) and saved
        DataSet data = TinyProblems.blobs(60, 4, 3, 9);
        EnergyModel original = model(new Adam(0.01));
        original.fit(batches(data), 2);
        File file = dir.resolve("energy.zip").toFile();
        original.save(file);
        // when it is loaded, and both train one more epoch
        EnergyModel loaded = EnergyModel.load(file);
        INDArray features = data.getFeatures();
        assertEquals(original.output(features), loaded.output(features));
        original.fit(batches(data), 1);
        loaded.fit(batches(data), 1);
        // then every parameter is identical (weights, Adam's moments, the step count and beta's signs carried over)
        for (String name : original.energy().parameterNames()) {
            assertEquals(original.energy().graph().getVariable(name).getArr(),
                    loaded.energy().graph().getVariable(name).getArr(), name);
        }
        assertEquals(original.steps(), loaded.steps());
    }

    @Test
    void loadingAMissingOrForeignFileSaysWhatIsWrong(@TempDir Path dir) throws IOException {
        IOException missing = assertThrows(IOException.class, () -> EnergyModel.load(dir.resolve("no.zip").toFile()));
        assertTrue(missing.getMessage().contains("no energy model"), missing.getMessage());
        Path text = Files.writeString(dir.resolve("x.zip"), "not a zip");
        assertThrows(IOException.class, () -> EnergyModel.load(text.toFile()));
    }

    @Test
    void badEnergiesAreRejectedWhenBuiltNamingTheProblem() {
        // a non-scalar energy
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 2);
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, 2);
        SDVariable w = sd.var("w", Nd4j.ones(DataType.FLOAT, 2, 2));
        x.mmul(w).mul(y).rename("perExample");
        assertMessage("must be a scalar", () -> SameDiffEnergy.builder(sd).input("x").states("y").energy("perExample")
                .build());
        // a missing placeholder, and a misnamed energy
        assertMessage("'h' is not a placeholder", () -> SameDiffEnergy.builder(sd).input("x").states("h").energy("e")
                .build());
        assertMessage("energy variable 'e' is not in the graph", () -> SameDiffEnergy.builder(sd).input("x")
                .states("y").energy("e").build());

        // a state group the energy does not depend on
        SameDiff sd2 = SameDiff.create();
        SDVariable x2 = sd2.placeHolder("x", DataType.FLOAT, -1, 2);
        sd2.placeHolder("idle", DataType.FLOAT, -1, 3);
        SDVariable y2 = sd2.placeHolder("y", DataType.FLOAT, -1, 2);
        x2.mmul(sd2.var("w", Nd4j.ones(DataType.FLOAT, 2, 2))).mul(y2).sum().rename("e");
        assertMessage("'idle' has no gradient path", () -> SameDiffEnergy.builder(sd2).input("x").states("idle", "y")
                .energy("e").build());

        // feature maps as the output group
        EnergyGraph graph = new EnergyGraph(DataType.FLOAT, 1);
        SDVariable in = graph.input(1, 6, 6);
        SDVariable maps = graph.state("maps", 2, 1, 1);
        graph.convPool(in, maps, 3, 4);
        assertMessage("must be [batch, nOut]", graph::build);
        // a conv coupling whose upper maps do not fit
        EnergyGraph wrong = new EnergyGraph(DataType.FLOAT, 1);
        SDVariable in2 = wrong.input(1, 6, 6);
        SDVariable maps2 = wrong.state("maps", 2, 3, 3);
        assertMessage("conv 3x3 then pool 2 maps", () -> wrong.convPool(in2, maps2, 3, 2));
    }

    @Test
    void labelsOfTheWrongShapeOrRangeAndNonFiniteFeaturesAreRefusedNamingTheFix() {
        EnergyPropagation ep = new EnergyPropagation(layered(1), SETTINGS, new org.eqp.dynamics.SquaredErrorNudge(1), 1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 4);
        assertMessage("expected labels [2, 3]", () -> ep.trainingStep(x, Nd4j.zeros(DataType.FLOAT, 2, 2), 0));
        assertMessage("labels must lie in [0, 1]", () -> ep.trainingStep(x, Nd4j.ones(DataType.FLOAT, 2, 3).muli(2), 0));
        INDArray nan = x.dup();
        nan.putScalar(0, 1, Float.NaN);
        assertMessage("NaN or infinite", () -> ep.trainingStep(nan, Nd4j.zeros(DataType.FLOAT, 2, 3), 0));
    }

    @Test
    void flatFeaturesTakeTheShapeOfTheEnergysInputAndOthersAreRejected() {
        // given a conv energy over 1x6x6 images
        SameDiffEnergy conv = new ConvEnergy(1, 6, 6, new int[] {2}, 3, 2).build(36, 2, 1);
        // then rows of 36 values become images, and rows of 30 values are refused naming both shapes
        assertArrayEquals(new long[] {3, 1, 6, 6}, conv.toInput(Nd4j.zeros(DataType.FLOAT, 3, 36)).shape());
        assertMessage("takes [3, 1, 6, 6]; got features [3, 30]", () -> conv.toInput(Nd4j.zeros(DataType.FLOAT, 3, 30)));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
