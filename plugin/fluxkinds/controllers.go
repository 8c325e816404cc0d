package fluxkinds

// The Flux controllers, by the name their Deployment, Pod app label and image carry.
const (
	SourceController          = "source-controller"
	KustomizeController       = "kustomize-controller"
	HelmController            = "helm-controller"
	NotificationController    = "notification-controller"
	ImageReflectorController  = "image-reflector-controller"
	ImageAutomationController = "image-automation-controller"
	PartOfLabel               = "app.kubernetes.io/part-of"
	PartOfFlux                = "flux"
)

// Controllers returns the names of the Flux toolkit controllers, the default four first.
func Controllers() []string {
	return []string{SourceController, KustomizeController, HelmController, NotificationController,
		ImageReflectorController, ImageAutomationController}
}

// IsController says whether name is one of the Flux toolkit controllers.
func IsController(name string) bool {
	for _, c := range Controllers() {
		if c == name {
			return true
		}
	}
	return false
}
