package dev.distill.job.stage;

/**
 * Where the images made so far are: the stage that last left images and the table it left them in
 * (schema {@link Tables#DISTILLED_SCHEMA} plus provenance columns). A method
 * that transforms images (re-colours them, adds compensators) reads these and leaves its own.
 */
public record Images(String stage, String table) {}
