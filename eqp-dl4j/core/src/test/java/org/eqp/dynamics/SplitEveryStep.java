package org.eqp.dynamics;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For tests of the relaxation's threads on tiny networks: each test may split every step over the {@link StepTeam}
 * (no minimum of work) and set any thread count; afterwards the JVM's thread count and threshold are restored.
 */
final class SplitEveryStep implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SplitEveryStep.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("threads", StepTeam.threads());
        StepTeam.setMinSplitFlops(0);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        StepTeam.setThreads(context.getStore(NAMESPACE).get("threads", Integer.class));
        StepTeam.setMinSplitFlops(StepTeam.DEFAULT_MIN_SPLIT_FLOPS);
    }
}
